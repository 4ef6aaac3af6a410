import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { consoleHttp, type ConsoleSession } from "../helpers/consoleHttp.ts";

/**
 * The feedback area's rules by plain HTTP: another commune's item or template is "not found" in
 * the address and in every form, and changes nothing; forms without the session's token are
 * refused; members who review nothing find no feedback pages at all.
 */
let app: LocalChibo;
let demo: DemoMember[];
let reviewer: Session;
let secretary: Session;
let own: { id: number };
let other: { itemId: number; cellId: number; templateId: number };

type Session = ConsoleSession;
const { sessionOf, get, post } = consoleHttp(() => app);

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  const { organizations, db } = app.chibo.services;
  const commune = await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "khac-xa", parentCode: "demo-tinh" });
  const cell = await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "khac-thon-bac", parentCode: "khac-xa" });
  const author = await db.member.create({ data: { fullName: "Đỗ Văn Khác", searchName: "do van khac", phone: "0909111222", status: "full", cellId: cell.id } });
  const otherReviewer = await db.member.create({ data: { fullName: "Lý Văn Duyệt", searchName: "ly van duyet", phone: "0909111333", status: "full", cellId: cell.id } });
  await db.role.create({ data: { memberId: otherReviewer.id, organizationId: commune.id, role: "reviewer" } });
  const now = new Date();
  const item = await app.chibo.feedback.submit({ authorId: author.id, anonymous: false, addressee: "peoples_committee", category: "land", text: "Đường thôn Bắc hỏng.", now });
  const otherViewer = { memberId: otherReviewer.id, roles: [{ role: "reviewer", organizationId: commune.id }] };
  const template = await app.chibo.services.answerTemplates.create(otherViewer, commune.id, { title: "Mẫu xã khác", text: "Trả lời của xã khác." }, now);
  other = { itemId: item.id, cellId: cell.id, templateId: template.id };
  const ownAuthor = demoSecretary(demo, "demo-thon-tay");
  own = await app.chibo.feedback.submit({ authorId: ownAuthor.id, anonymous: false, addressee: "peoples_committee", category: "land", text: "Đèn đường thôn Tây hỏng.", now });
  reviewer = await sessionOf(demo.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!.id);
  secretary = await sessionOf(demoSecretary(demo).id);
}, 60_000);
afterAll(() => app?.stop());

const itemOf = (id: number) => app.chibo.services.db.feedback.findUniqueOrThrow({ where: { id } });

describe("the feedback area by URL tampering", () => {
  it("answers 'not found' for another commune's item, its photo and its template, and for an item that does not exist", async () => {
    for (const path of [
      `/console/feedback/${other.itemId}`, `/console/feedback/${other.itemId}/photo`, `/console/feedback/${own.id}?template=${other.templateId}`,
      `/console/feedback/templates/${other.templateId}`, "/console/feedback/999999", "/console/feedback/abc",
    ]) {
      const res = await get(reviewer, path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("không thuộc phạm vi");
    }
  });

  it("changes nothing when a form acts on another commune's item or template", async () => {
    const before = await itemOf(other.itemId);
    const forms: [string, Record<string, string>][] = [
      [`/console/feedback/${other.itemId}/act`, { action: "review", status: "submitted" }],
      [`/console/feedback/${other.itemId}/act`, { action: "reject", status: "submitted", reason: "Không" }],
      [`/console/feedback/${other.itemId}/notes`, { text: "Ghi chú lạ" }],
      [`/console/feedback/${other.itemId}/assign`, { assignee: "" }],
      [`/console/feedback/${other.itemId}/answer/preview`, { answer: "Trả lời" }],
      [`/console/feedback/${other.itemId}/answer`, { answer: "Trả lời", status: "submitted" }],
      [`/console/feedback/templates/${other.templateId}`, { title: "Đổi", text: "Đổi" }],
      [`/console/feedback/templates/${other.templateId}/delete`, {}],
    ];
    for (const [path, fields] of forms) expect((await post(reviewer, path, fields)).status, path).toBe(404);
    expect(await itemOf(other.itemId)).toEqual(before);
    const { db } = app.chibo.services;
    expect(await db.feedbackNote.count({ where: { feedbackId: other.itemId } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { text: { contains: "Trả lời" } } })).toBe(0);
    expect(await db.answerTemplate.findUniqueOrThrow({ where: { id: other.templateId } })).toMatchObject({ title: "Mẫu xã khác" });
  });

  it("finds nothing when the list is asked for another commune's cell", async () => {
    const res = await get(reviewer, `/console/feedback?cell=${other.cellId}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).not.toContain("thôn Bắc");
    expect(page).toContain("Không có phản ánh, góp ý nào");
  });

  it("shows no feedback page to a member who reviews nothing", async () => {
    expect((await get(secretary, "/console/feedback")).status).toBe(404);
    expect((await get(secretary, `/console/feedback/${own.id}`)).status).toBe(404);
    expect((await post(secretary, `/console/feedback/${own.id}/act`, { action: "review", status: "submitted" })).status).toBe(404);
    expect((await itemOf(own.id)).status).toBe("submitted");
  });
});

describe("the feedback area's forms", () => {
  it("refuses a change without the session's token and changes nothing", async () => {
    const refused = await post(reviewer, `/console/feedback/${own.id}/act`, { action: "review", status: "submitted" }, false);
    expect(refused.status).toBe(403);
    expect((await post(reviewer, `/console/feedback/${own.id}/notes`, { text: "Ghi chú" }, false)).status).toBe(403);
    expect((await post(reviewer, "/console/feedback/templates", { organization: "1", title: "Mẫu", text: "Nội dung" }, false)).status).toBe(403);
    expect((await itemOf(own.id)).status).toBe("submitted");
    expect(await app.chibo.services.db.feedbackNote.count()).toBe(0);
    expect(await app.chibo.services.db.answerTemplate.count()).toBe(1);
  });

  it("keeps search words out of addresses: a search is posted, filters alone come back as an address", async () => {
    const filtersOnly = await post(reviewer, "/console/feedback/search", { q: "", status: "open", sort: "due" });
    expect(filtersOnly.status).toBe(303);
    expect(filtersOnly.headers.get("location")).toBe("/console/feedback?status=open&sort=due");
    const searched = await post(reviewer, "/console/feedback/search", { q: "Đèn đường", status: "open" });
    expect(searched.status).toBe(200);
    const page = await searched.text();
    expect(page).toContain(`/console/feedback/${own.id}"`);
    expect(page).not.toContain("?q=");
  });

  it("says which day is wrong instead of failing", async () => {
    const res = await get(reviewer, "/console/feedback?from=2026-02-31");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Ngày phải ghi đủ ngày, tháng, năm");
  });

  it("refuses an action no page offers, and one the item's status does not allow, with words", async () => {
    expect((await post(reviewer, `/console/feedback/${own.id}/act`, { action: "answer", status: "submitted" })).status).toBe(400);
    const closing = await post(reviewer, `/console/feedback/${own.id}/act`, { action: "close", status: "submitted" });
    expect(closing.status).toBe(409);
    expect(await closing.text()).toContain("Không thể kết thúc góp ý đang ở trạng thái «Đã gửi»");
    const stale = await post(reviewer, `/console/feedback/${own.id}/act`, { action: "review", status: "forwarded" });
    expect(stale.status).toBe(409);
    expect((await itemOf(own.id)).status).toBe("submitted");
  });
});
