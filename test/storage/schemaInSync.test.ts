import { describe, expect, it } from "vitest";
import { pendingSchemaChange } from "../../scripts/new-migration.ts";

describe("committed migrations", () => {
  it("cover every change to prisma/schema.prisma", () => {
    // A schema edit without `npm run db:migrate:new` would leave the database behind the client.
    expect(pendingSchemaChange()).toBe("");
  });
});
