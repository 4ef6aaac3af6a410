import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/app.ts";
import { freshDatabase } from "../helpers/db.ts";

const logger = pino({ level: "silent" });

describe("GET /health", () => {
  it("answers 200 while the database answers", async () => {
    const database = await freshDatabase();
    const app = createHttpApp({ isDatabaseReachable: database.isReachable, logger });
    const res = await request(app).get("/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "ok" });
    await database.cleanup();
  });

  it("answers 503 when the database does not", async () => {
    const app = createHttpApp({ isDatabaseReachable: async () => false, logger });
    const res = await request(app).get("/health");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: "unavailable", database: "unreachable" });
  });

  it("answers 404 as JSON for unknown paths, without a stack trace", async () => {
    const app = createHttpApp({ isDatabaseReachable: async () => true, logger });
    const res = await request(app).get("/nowhere");
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("Error");
  });
});
