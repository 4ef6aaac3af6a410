import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FeedbackViewer } from "../../src/services/feedback.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { feedbackWorld, LAND, NOW, type FeedbackWorld } from "./feedbackFixture.ts";

let database: TestDatabase;
let world: FeedbackWorld;
beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
});
afterEach(() => database.cleanup());

const console_ = (viewer: FeedbackViewer): FeedbackViewer => ({ ...viewer, via: "console" });
const submit = (authorId: number, change: Record<string, unknown> = {}) => world.feedback.submit({ authorId, anonymous: false, ...LAND, ...change, now: NOW });
const desk = () => world.services.feedbackDesk;
const templates = () => world.services.answerTemplates;

describe("assigning an item", () => {
  it("gives it to a reviewer of its subtree, or to nobody, and logs each change", async () => {
    const { id } = await submit(world.author.id);
    const reviewer = console_(world.reviewers.commune);
    const { reviewers } = await desk().assignment(id, reviewer);
    expect(reviewers.map((r) => r.id).sort()).toEqual([world.reviewers.commune.memberId, world.reviewers.province.memberId].sort());
    await desk().assign(id, world.reviewers.province.memberId, reviewer, NOW);
    expect((await desk().assignment(id, reviewer)).assignee).toEqual({ id: world.reviewers.province.memberId, fullName: "Đỗ Thị Huyện" });
    await desk().assign(id, null, reviewer, NOW);
    expect((await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).assigneeId).toBeNull();
    expect(await database.prisma.auditLog.findMany({ where: { subjectType: "Feedback", action: "update" }, select: { actorKind: true, detail: true } })).toEqual([
      { actorKind: "console", detail: `GY-2026-000001: assigned to #${world.reviewers.province.memberId}` },
      { actorKind: "console", detail: "GY-2026-000001: unassigned" },
    ]);
  });

  it("refuses a member who does not review the item, and a reviewer of another commune acting on it", async () => {
    const { id } = await submit(world.author.id);
    await expect(desk().assign(id, world.secretary.id, world.reviewers.commune, NOW)).rejects.toMatchObject({ code: "consoleFeedback:notAReviewer" });
    await expect(desk().assign(id, world.reviewers.other.memberId, world.reviewers.commune, NOW)).rejects.toMatchObject({ code: "consoleFeedback:notAReviewer" });
    await expect(desk().assign(id, world.reviewers.other.memberId, world.reviewers.other, NOW)).rejects.toMatchObject({ code: "feedback:notFound" });
    expect((await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).assigneeId).toBeNull();
  });
});

describe("internal notes", () => {
  it("keeps reviewers' notes in order with their authors, refuses empty and long ones, and hides them from other communes", async () => {
    const { id } = await submit(world.author.id);
    await desk().addNote(id, "  Đã gọi điện cho trưởng thôn.  ", world.reviewers.commune, NOW);
    await desk().addNote(id, "Chờ kinh phí.", world.reviewers.province, new Date(NOW.getTime() + 60_000));
    expect(await desk().notes(id, world.reviewers.commune)).toMatchObject([
      { text: "Đã gọi điện cho trưởng thôn.", authorName: "Phạm Văn Xã" },
      { text: "Chờ kinh phí.", authorName: "Đỗ Thị Huyện" },
    ]);
    await expect(desk().addNote(id, "   ", world.reviewers.commune, NOW)).rejects.toMatchObject({ code: "consoleFeedback:noteRequired" });
    await expect(desk().addNote(id, "x".repeat(1001), world.reviewers.commune, NOW)).rejects.toMatchObject({ code: "feedback:noteTooLong" });
    await expect(desk().notes(id, world.reviewers.other)).rejects.toMatchObject({ code: "feedback:notFound" });
    await expect(desk().addNote(id, "Không phải của tôi", world.reviewers.other, NOW)).rejects.toMatchObject({ code: "feedback:notFound" });
    expect(await database.prisma.feedbackNote.count()).toBe(2);
    expect(await database.prisma.auditLog.count({ where: { subjectType: "FeedbackNote", action: "create" } })).toBe(2);
  });

  it("names nobody for a note its anonymous author wrote as a reviewer", async () => {
    const { id } = await submit(world.reviewers.commune.memberId, { anonymous: true });
    await desk().addNote(id, "Ghi chú", world.reviewers.commune, NOW);
    await desk().addNote(id, "Ghi chú khác", world.reviewers.province, NOW);
    expect((await desk().notes(id, world.reviewers.province)).map((n) => n.authorName)).toEqual([null, "Đỗ Thị Huyện"]);
  });
});

describe("answer templates", () => {
  it("are kept for organizations the reviewer reviews and offered to the items below them", async () => {
    const { id } = await submit(world.author.id);
    const other = await submit(world.farmer.id);
    const communeTpl = await templates().create(world.reviewers.commune, world.commune.id, { title: "Đã chuyển UBND", text: "Xã đã chuyển góp ý tới UBND xã." }, NOW);
    const provinceTpl = await templates().create(world.reviewers.province, world.province.id, { title: "Cấp tỉnh", text: "Tỉnh đã ghi nhận." }, NOW);
    await templates().create(world.reviewers.other, world.otherCommune.id, { title: "Tân Kỳ", text: "Của xã khác." }, NOW);
    for (const outside of [world.otherCommune.id, world.province.id]) {
      await expect(templates().create(world.reviewers.commune, outside, { title: "x", text: "y" }, NOW)).rejects.toMatchObject({ code: "consoleFeedback:templateOrgRequired" });
    }
    expect((await templates().list(world.reviewers.commune)).map((t) => t.title)).toEqual(["Đã chuyển UBND"]);
    expect((await templates().list(world.reviewers.province)).map((t) => t.title).sort()).toEqual(["Cấp tỉnh", "Tân Kỳ", "Đã chuyển UBND"].sort());
    // The province's template serves the commune's items too; another commune's does not.
    expect((await templates().forItem(id, world.reviewers.commune)).map((t) => t.id)).toEqual([provinceTpl.id, communeTpl.id]);
    expect((await templates().forItem(other.id, world.reviewers.other)).map((t) => t.title)).toEqual(["Cấp tỉnh", "Tân Kỳ"]);
    expect((await templates().organizationsFor(world.reviewers.commune)).map((o) => o.id)).toEqual([world.commune.id]);
  });

  it("are changed and deleted only inside the reviewer's scope, with checked words", async () => {
    const tpl = await templates().create(world.reviewers.commune, world.commune.id, { title: "Mẫu", text: "Nội dung" }, NOW);
    await expect(templates().update(tpl.id, world.reviewers.other, { title: "Đổi", text: "Đổi" }, NOW)).rejects.toMatchObject({ code: "consoleFeedback:templateNotFound" });
    await expect(templates().remove(tpl.id, world.reviewers.other, NOW)).rejects.toMatchObject({ code: "consoleFeedback:templateNotFound" });
    await expect(templates().update(tpl.id, world.reviewers.commune, { title: " ", text: "Đổi" }, NOW))
      .rejects.toMatchObject({ code: "consoleFeedback:templateTitleRequired" });
    await expect(templates().update(tpl.id, world.reviewers.commune, { title: "Đổi", text: "x".repeat(3001) }, NOW)).rejects.toMatchObject({ code: "feedback:answerTooLong" });
    await templates().update(tpl.id, world.reviewers.commune, { title: "Mẫu mới", text: "Nội dung mới" }, new Date(NOW.getTime() + 1000));
    expect(await templates().get(tpl.id, world.reviewers.province)).toMatchObject({ title: "Mẫu mới", text: "Nội dung mới", updatedAt: new Date(NOW.getTime() + 1000) });
    await templates().remove(tpl.id, world.reviewers.province, NOW);
    expect(await database.prisma.answerTemplate.count()).toBe(0);
    expect((await database.prisma.auditLog.findMany({ where: { subjectType: "AnswerTemplate" } })).map((a) => a.action)).toEqual(["create", "update", "delete"]);
  });
});

describe("an answer's preview", () => {
  it("shows the message the author's chat then gets, word for word, in the author's language", async () => {
    await database.prisma.chatIdentity.create({ data: { memberId: world.teacher.id, channel: "telegram", chatId: "777", externalUserId: "777", reachable: true } });
    const { id } = await submit(world.teacher.id);
    const preview = await world.feedback.previewAnswer(id, "  The commune will repair the road.  ", world.reviewers.commune, "vi");
    expect(preview).toMatchObject({ answer: "The commune will repair the road.", status: "submitted", anonymous: false });
    expect(preview.message).toContain("has been answered");
    expect(await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "submitted", answer: null });
    await world.feedback.act(id, { kind: "answer", text: preview.answer }, console_(world.reviewers.commune), NOW, { expectStatus: "submitted" });
    const sent = await database.prisma.outboxMessage.findFirstOrThrow({ where: { memberId: world.teacher.id } });
    expect(sent.text).toBe(preview.message);
  });

  it("is in the reviewer's language for an anonymous item, and refused where the item may not be answered", async () => {
    const { id } = await submit(world.teacher.id, { anonymous: true });
    const preview = await world.feedback.previewAnswer(id, "Xã sẽ sửa.", world.reviewers.commune, "vi");
    expect(preview.message).toContain("đã được trả lời");
    expect(preview.anonymous).toBe(true);
    await world.feedback.act(id, { kind: "reject", reason: "Trùng" }, world.reviewers.commune, NOW);
    await expect(world.feedback.previewAnswer(id, "Muộn", world.reviewers.commune, "vi")).rejects.toMatchObject({ code: "feedback:transitionRefused" });
    await expect(world.feedback.previewAnswer(id, "  ", world.reviewers.commune, "vi")).rejects.toMatchObject({ code: "feedback:answerRequired" });
    await expect(world.feedback.previewAnswer(id, "Của xã khác", world.reviewers.other, "vi")).rejects.toMatchObject({ code: "feedback:notFound" });
  });

  it("is not sent when the item moved on after the reviewer saw it", async () => {
    const { id } = await submit(world.author.id);
    await world.feedback.act(id, { kind: "review" }, world.reviewers.province, NOW);
    await expect(world.feedback.act(id, { kind: "answer", text: "Trả lời" }, console_(world.reviewers.commune), NOW, { expectStatus: "submitted" }))
      .rejects.toMatchObject({ code: "feedback:changedMeanwhile", params: { status: "under_review" } });
    expect(await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "under_review", answer: null });
    expect(await database.prisma.outboxMessage.count()).toBe(0);
  });
});
