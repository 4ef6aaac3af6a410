import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let meetingId: number;
let memberId: number;

const START = new Date("2026-12-07T12:30:00Z"); // Monday 7 Dec 2026 19:30 in Vietnam
const at = (iso: string) => new Date(iso);

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  const { village } = await buildSmallTree(services);
  memberId = (await database.prisma.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: village.id } })).id;
  meetingId = (await database.prisma.meeting.create({ data: { cellId: village.id, scheduledAt: START } })).id;
});
afterEach(async () => {
  await database.cleanup();
});

const record = (answer: "present" | "absent", source: "button" | "secretary", now: Date, reason?: string) =>
  services.attendance.record({ meetingId, memberId, answer, source, now, ...(reason === undefined ? {} : { reason }) });
async function expectDomainError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}
const stored = () => database.prisma.attendance.findFirstOrThrow({ where: { meetingId, memberId } });

describe("recording attendance", () => {
  it("takes the member's own answer until the start, and the officers' record for 7 days after it", async () => {
    await record("present", "button", at("2026-12-07T12:29:00Z"));
    await expectDomainError(record("absent", "button", START), "meeting:alreadyStarted");
    expect(await stored()).toMatchObject({ answer: "present", source: "button" });

    await record("absent", "secretary", at("2026-12-08T02:00:00Z"));
    expect(await stored()).toMatchObject({ answer: "absent", source: "secretary", reason: null });
    await record("present", "secretary", at("2026-12-14T12:29:00Z")); // one minute before the roll call closes
    expect(await stored()).toMatchObject({ answer: "present" });
    await expectDomainError(record("absent", "secretary", at("2026-12-14T12:30:00Z")), "meeting:rollCallClosed");
    expect(await stored()).toMatchObject({ answer: "present" });
  });

  it("a member answering absent again without a reason has none; an officer's own attendance after the start is another's to record", async () => {
    await record("absent", "button", at("2026-12-05T02:00:00Z"), "ốm");
    await record("absent", "button", at("2026-12-05T03:00:00Z"));
    expect(await stored()).toMatchObject({ answer: "absent", reason: null });
    await expectDomainError(services.attendance.record({ meetingId, memberId, answer: "present", source: "secretary", recordedById: memberId, now: at("2026-12-08T02:00:00Z") }), "meeting:ownRollCall");
    // Before the start an officer answers for themselves like anyone.
    await services.attendance.record({ meetingId, memberId, answer: "present", source: "secretary", recordedById: memberId, now: at("2026-12-06T02:00:00Z") });
    expect(await stored()).toMatchObject({ answer: "present" });
  });

  it("keeps the member's reason when an officer records the absence without one", async () => {
    await record("absent", "button", at("2026-12-05T02:00:00Z"), "đi viện");
    await record("absent", "secretary", at("2026-12-08T02:00:00Z"));
    expect(await stored()).toMatchObject({ answer: "absent", reason: "đi viện", source: "secretary" });
    await record("present", "secretary", at("2026-12-08T02:01:00Z"));
    expect(await stored()).toMatchObject({ answer: "present", reason: null });
  });
});
