import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackDueAt } from "../../src/domain/feedback.ts";
import { createTranslator } from "../../src/i18n.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { DAY, feedbackWorld, LAND, NOW, type FeedbackWorld } from "./feedbackFixture.ts";

let database: TestDatabase;
let world: FeedbackWorld;
beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
});
afterEach(() => database.cleanup());

const submit = (authorId: number, change: Record<string, unknown> = {}, now = NOW) =>
  world.feedback.submit({ authorId, anonymous: false, ...LAND, ...change, now });

describe("submitting feedback", () => {
  it("numbers items per year, sets the due date and writes the first event in the same go", async () => {
    const first = await submit(world.author.id);
    const second = await submit(world.teacher.id, { addressee: "agency", agencyName: "Phòng Giáo dục và Đào tạo", category: "health_education" });
    expect([first.reference, second.reference]).toEqual(["GY-2026-000001", "GY-2026-000002"]);
    const stored = await database.prisma.feedback.findUniqueOrThrow({ where: { id: second.id }, include: { events: true } });
    expect(stored).toMatchObject({ authorId: world.teacher.id, cellId: world.school.id, status: "submitted", agencyName: "Phòng Giáo dục và Đào tạo", createdAt: NOW });
    expect(stored.dueAt).toEqual(feedbackDueAt(NOW, 10));
    expect(stored.events).toMatchObject([{ fromStatus: null, toStatus: "submitted", actorId: world.teacher.id, at: NOW }]);
  });

  it("starts again at 000001 in a new Vietnamese year", async () => {
    await submit(world.author.id);
    const newYear = await submit(world.author.id, {}, new Date("2026-12-31T17:30:00Z")); // 1 January 2027, 00:30 local
    expect(newYear.reference).toBe("GY-2027-000001");
  });

  it("gives twenty submissions at once twenty different references", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(i % 2 ? world.author.id : world.teacher.id)));
    const numbers = results.map((r) => Number(r.reference.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("gives different references when two server processes share the database file", async () => {
    const run = () => new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../fixtures/feedbackSubmitProcess.ts"), database.url, String(world.author.id), "15", NOW.toISOString()], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(out.trim().split("\n")) : reject(new Error(`exit ${code}`))));
    });
    const [a, b] = await Promise.all([run(), run()]);
    expect(new Set([...a, ...b]).size).toBe(30);
    expect([...a, ...b].sort().at(-1)).toBe("GY-2026-000030");
    expect(await database.prisma.feedback.count({ where: { reference: { startsWith: "pending:" } } })).toBe(0);
  });

  it.each([
    ["an unknown category", { category: "weather" }, "feedback:unknownCategory"],
    ["an unknown addressee", { addressee: "nobody" }, "feedback:unknownAddressee"],
    ["an agency without a name", { addressee: "agency" }, "feedback:agencyNameRequired"],
    ["an empty text", { text: "   " }, "feedback:textRequired"],
    ["a text over 3000 characters", { text: "x".repeat(3001) }, "feedback:textTooLong"],
  ])("refuses %s and stores nothing", async (_label, change, code) => {
    await expect(submit(world.author.id, change)).rejects.toMatchObject({ code });
    expect(await database.prisma.feedback.count()).toBe(0);
    expect(await database.prisma.feedbackEvent.count()).toBe(0);
  });

  it("refuses an author who is not a member", async () => {
    await expect(submit(9999)).rejects.toMatchObject({ code: "member:notFound" });
  });
});

describe("a member's own feedback", () => {
  it("lists their items newest first, anonymous ones included, and nobody else's", async () => {
    await submit(world.author.id, { category: "economy" }, new Date(NOW.getTime() - 2 * DAY));
    await submit(world.author.id, { anonymous: true, category: "security" }, NOW);
    await submit(world.teacher.id);
    const mine = await world.feedback.listMine(world.author.id);
    expect(mine.map((m) => [m.reference, m.category, m.status, m.answer])).toEqual([
      ["GY-2026-000002", "security", "submitted", null],
      ["GY-2026-000001", "economy", "submitted", null],
    ]);
    expect(mine[0]).toMatchObject({ addressee: "peoples_committee", createdAt: NOW });
  });
});

describe("who may view an item", () => {
  it("shows a signed item to the commune's reviewer with the author's name and cell and the history", async () => {
    const { id } = await submit(world.author.id);
    const item = await world.feedback.view(id, world.reviewers.commune, NOW);
    expect(item).toMatchObject({
      reference: "GY-2026-000001", anonymous: false, status: "submitted", text: LAND.text,
      cell: { code: "thon-dong", name: "Chi bộ thôn Đông" },
      author: { name: "Nguyễn Văn Thành", cellName: "Chi bộ thôn Đông" },
    });
    expect(item.history).toEqual([{ fromStatus: null, toStatus: "submitted", actorName: "Nguyễn Văn Thành", note: null, at: NOW }]);
    expect(await world.feedback.view(id, world.reviewers.province, NOW)).toMatchObject({ reference: "GY-2026-000001" });
  });

  it.each([
    ["another commune's reviewer", "other"],
    ["the cell's secretary", "secretary"],
    ["the author", "author"],
  ] as const)("refuses %s", async (_label, who) => {
    const { id } = await submit(world.author.id);
    const viewer = who === "other" ? world.reviewers.other : await world.viewerOf(who === "secretary" ? world.secretary.id : world.author.id);
    // Word for word what a missing item gets: nobody learns what exists beyond their reach.
    await expect(world.feedback.view(id, viewer, NOW)).rejects.toMatchObject({ code: "feedback:notFound", params: { value: `#${id}` } });
    await expect(world.feedback.act(id, { kind: "review" }, viewer, NOW)).rejects.toMatchObject({ code: "feedback:notFound", params: { value: `#${id}` } });
    await expect(world.feedback.view(id + 1000, viewer, NOW)).rejects.toMatchObject({ code: "feedback:notFound", params: { value: `#${id + 1000}` } });
    expect(await database.prisma.auditLog.count({ where: { subjectType: "Feedback" } })).toBe(0);
  });

  it("says when there is no such item", async () => {
    await expect(world.feedback.view(404, world.reviewers.province, NOW)).rejects.toMatchObject({ code: "feedback:notFound" });
  });

  it("logs each reading with the reviewer and the reference, nothing about the author", async () => {
    const { id } = await submit(world.author.id);
    await world.feedback.view(id, world.reviewers.commune, NOW);
    const logged = await database.prisma.auditLog.findMany();
    expect(logged).toMatchObject([{ actorId: world.reviewers.commune.memberId, action: "read", subjectType: "Feedback", subjectId: String(id), detail: "GY-2026-000001" }]);
  });
});

describe("an anonymous item", () => {
  it("names nobody in the view, its history or the audit log, while the system still knows the author", async () => {
    const { id } = await submit(world.author.id, { anonymous: true });
    await world.feedback.act(id, { kind: "review", note: "Đã giao tổ công tác" }, world.reviewers.commune, NOW);
    const item = await world.feedback.view(id, world.reviewers.commune, NOW);
    expect(item.anonymous).toBe(true);
    expect(item.author).toBeNull();
    expect(item).not.toHaveProperty("authorId");
    expect(item.history.map((h) => h.actorName)).toEqual([null, "Phạm Văn Xã"]);
    const shown = JSON.stringify(item);
    for (const secret of ["Nguyễn Văn Thành", "0912345678", "authorId", "authorName"]) expect(shown).not.toContain(secret);

    const events = await database.prisma.feedbackEvent.findMany({ where: { feedbackId: id } });
    expect(events.map((e) => e.actorId)).toEqual([null, world.reviewers.commune.memberId]);
    const logged = await database.prisma.auditLog.findMany();
    expect(logged.map((l) => l.actorId)).not.toContain(world.author.id);
    expect(JSON.stringify(logged)).not.toContain("Nguyễn Văn Thành");
    expect((await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).authorId).toBe(world.author.id);
  });
});

describe("handling an item", () => {
  it("moves it through review, forward and answer, each step an event with the reviewer and note", async () => {
    const { id } = await submit(world.author.id);
    const reviewer = world.reviewers.commune;
    expect(await world.feedback.act(id, { kind: "review" }, reviewer, NOW)).toMatchObject({ fromStatus: "submitted", status: "under_review" });
    await world.feedback.act(id, { kind: "forward", agencyName: "Phòng Tài nguyên và Môi trường", note: "Đề nghị xác minh" }, reviewer, new Date(NOW.getTime() + DAY));
    const answered = await world.feedback.act(id, { kind: "answer", text: "Xã đã bố trí kinh phí sửa đường trong quý IV." }, world.reviewers.province, new Date(NOW.getTime() + 2 * DAY));
    expect(answered).toMatchObject({ status: "answered" });
    const stored = await database.prisma.feedback.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { id: "asc" } } } });
    expect(stored).toMatchObject({ status: "answered", answer: "Xã đã bố trí kinh phí sửa đường trong quý IV.", answeredById: world.reviewers.province.memberId, answeredAt: new Date(NOW.getTime() + 2 * DAY) });
    expect(stored.events.map((e) => [e.fromStatus, e.toStatus, e.actorId, e.note])).toEqual([
      [null, "submitted", world.author.id, null],
      ["submitted", "under_review", reviewer.memberId, null],
      ["under_review", "forwarded", reviewer.memberId, "Phòng Tài nguyên và Môi trường: Đề nghị xác minh"],
      ["forwarded", "answered", world.reviewers.province.memberId, null],
    ]);
    const updates = await database.prisma.auditLog.findMany({ where: { action: "update" }, orderBy: { id: "asc" } });
    expect(updates.map((u) => u.detail)).toEqual(["GY-2026-000001: submitted → under_review", "GY-2026-000001: under_review → forwarded", "GY-2026-000001: forwarded → answered"]);
  });

  it("refuses what the lifecycle forbids, naming the current status, and changes nothing", async () => {
    const { id } = await submit(world.author.id);
    const reviewer = world.reviewers.commune;
    await expect(world.feedback.act(id, { kind: "close" }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:transitionRefused", params: { status: "submitted", action: "close" } });
    await world.feedback.act(id, { kind: "reject", reason: "Nội dung không thuộc thẩm quyền của xã" }, reviewer, NOW);
    await expect(world.feedback.act(id, { kind: "answer", text: "Muộn" }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:transitionRefused", params: { status: "rejected" } });
    expect(await database.prisma.feedbackEvent.count({ where: { feedbackId: id } })).toBe(2);
    expect((await database.prisma.feedbackEvent.findFirstOrThrow({ where: { toStatus: "rejected" } })).note).toBe("Nội dung không thuộc thẩm quyền của xã");
  });

  it("needs a reason to reject, an agency to forward and a text to answer", async () => {
    const { id } = await submit(world.author.id);
    const reviewer = world.reviewers.commune;
    await expect(world.feedback.act(id, { kind: "reject", reason: " " }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:reasonRequired" });
    await expect(world.feedback.act(id, { kind: "forward", agencyName: "" }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:agencyNameRequired" });
    await expect(world.feedback.act(id, { kind: "answer", text: "" }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:answerRequired" });
    expect((await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).status).toBe("submitted");
  });

  it("closes an answered item, and then nothing more", async () => {
    const { id } = await submit(world.author.id);
    const reviewer = world.reviewers.province;
    await world.feedback.act(id, { kind: "answer", text: "Đã tiếp thu." }, reviewer, NOW);
    await world.feedback.act(id, { kind: "close" }, reviewer, NOW);
    for (const kind of ["review", "close"] as const) {
      await expect(world.feedback.act(id, { kind }, reviewer, NOW)).rejects.toMatchObject({ code: "feedback:transitionRefused", params: { status: "closed" } });
    }
  });

  it("lets only one of two reviewers acting at the same moment move the item", async () => {
    const { id } = await submit(world.author.id);
    const outcomes = await Promise.allSettled([
      world.feedback.act(id, { kind: "review" }, world.reviewers.commune, NOW),
      world.feedback.act(id, { kind: "review" }, world.reviewers.province, NOW),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(["feedback:changedMeanwhile", "feedback:transitionRefused"]).toContain((refused as PromiseRejectedResult).reason.code);
    expect(await database.prisma.feedbackEvent.count({ where: { feedbackId: id, toStatus: "under_review" } })).toBe(1);
  });
});

describe("the answer reaches the author", () => {
  async function link(memberId: number, externalUserId: string, reachable = true) {
    return database.prisma.chatIdentity.create({ data: { memberId, channel: "telegram", externalUserId, chatId: externalUserId, reachable } });
  }

  it("queues it to every reachable chat of the author, once, in their language", async () => {
    const phone = await link(world.teacher.id, "501");
    const laptop = await link(world.teacher.id, "502");
    await link(world.teacher.id, "503", false);
    const { id, reference } = await submit(world.teacher.id, { text: "The school roof leaks when it rains." });
    const result = await world.feedback.act(id, { kind: "answer", text: "The province will repair it in October." }, world.reviewers.commune, NOW);
    expect(result.answersQueued).toBe(2);
    const rows = await database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.dedupeKey, r.chatId, r.memberId])).toEqual([
      [`feedback-answer:${id}:${phone.id}`, "501", world.teacher.id],
      [`feedback-answer:${id}:${laptop.id}`, "502", world.teacher.id],
    ]);
    expect(rows[0]!.text).toBe(`Your feedback ${reference} («The school roof leaks when it rains.») has been answered:\n\nThe province will repair it in October.`);
    expect(await world.feedback.queueAnswer(id)).toBe(0);
    expect(await database.prisma.outboxMessage.count()).toBe(2);
  });

  it("reaches the author of an anonymous item too, in Vietnamese by default", async () => {
    const chat = await link(world.author.id, "601");
    const { id } = await submit(world.author.id, { anonymous: true });
    await world.feedback.act(id, { kind: "answer", text: "Xã đã tiếp thu." }, world.reviewers.commune, NOW);
    const row = await database.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ dedupeKey: `feedback-answer:${id}:${chat.id}`, chatId: "601" });
    expect(row.text).toContain("đã được trả lời:\n\nXã đã tiếp thu.");
  });

  it("stores no answer whose message to the author cannot be queued: the reviewer can answer again", async () => {
    await link(world.teacher.id, "701");
    const { id } = await submit(world.teacher.id);
    const failing = createFeedbackService({
      db: database.prisma,
      outbox: { ...world.outbox, enqueue: async () => { throw new Error("disk I/O error"); } },
      translator: createTranslator(),
    });
    await expect(failing.act(id, { kind: "answer", text: "Xã sẽ sửa trong tháng 10." }, world.reviewers.commune, NOW)).rejects.toThrow("disk I/O error");
    const unchanged = await database.prisma.feedback.findUniqueOrThrow({ where: { id }, include: { events: true } });
    expect(unchanged).toMatchObject({ status: "submitted", answer: null });
    expect(unchanged.events).toHaveLength(1);
    const result = await world.feedback.act(id, { kind: "answer", text: "Xã sẽ sửa trong tháng 10." }, world.reviewers.commune, NOW);
    expect(result).toMatchObject({ status: "answered", answersQueued: 1 });
    expect(await database.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: `feedback-answer:${id}:` } } })).toBe(1);
  });

  it("queues nothing for an author with no linked chat", async () => {
    const { id } = await submit(world.farmer.id);
    expect((await world.feedback.act(id, { kind: "answer", text: "Đã rõ." }, world.reviewers.province, NOW)).answersQueued).toBe(0);
    expect(await database.prisma.outboxMessage.count()).toBe(0);
  });
});
