import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { waitUntil } from "../helpers/wait.ts";

interface BotMessage {
  from: "bot";
  id: number;
  text: string;
  buttons?: { label: string; payload: string }[][];
  attachment?: { fileName: string; mimeType: string; base64: string };
}

let app: LocalChibo;
let demo: DemoMember[];
let realMemberId: number;
let largeDemoMemberId: number;

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${app.baseUrl}/chat/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Sends as the page does, then long-polls for chibo's next answer after `after`. */
async function ask(memberId: number, message: { text: string } | { button: { payload: string; label: string } }, after: number): Promise<BotMessage> {
  const sent = await call("POST", "/send", { memberId, ...message });
  expect(sent.status).toBe(202);
  const { json } = await call("GET", `/messages?memberId=${memberId}&after=${after}&wait=10`);
  const [answer] = json.messages as BotMessage[];
  if (!answer) throw new Error("no answer within the long poll");
  return answer;
}

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  // A real province next to the demo one: the web chat must never show or accept its members.
  const { services, db } = app.chibo;
  await services.organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const cell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", code: "thon-bac", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  const real = await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } });
  await db.role.create({ data: { memberId: real.id, organizationId: cell.id, role: "secretary" } });
  realMemberId = real.id;
  // A cell of the large demo (as `demo --large` makes them): demo data, but not listed in the picker.
  const large = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Phú An", code: "demo-lon-thon-1", parentCode: "demo-xa", cellKind: "village" });
  largeDemoMemberId = (await db.member.create({ data: { fullName: "Đinh Văn Lớn", searchName: "dinh van lon", status: "full", cellId: large.id } })).id;
});
afterAll(async () => {
  await app.stop();
});

describe("web chat API", () => {
  it("lists every demo member with cell and roles, and no real member", async () => {
    const { status, json } = await call("GET", "/members");
    expect(status).toBe(200);
    const members = json.members as { id: number; cellCode: string; cellName: string; roles: string[] }[];
    expect(members).toHaveLength(demo.length);
    expect(members.every((m) => m.cellCode.startsWith("demo-"))).toBe(true);
    expect(members.map((m) => m.id)).not.toContain(realMemberId);
    expect(members.map((m) => m.id)).not.toContain(largeDemoMemberId);
    expect((await call("POST", "/pick", { memberId: largeDemoMemberId })).status).toBe(200);
    const secretary = demoSecretary(demo);
    expect(members.find((m) => m.id === secretary.id)).toMatchObject({ cellName: "Chi bộ thôn Đông", roles: ["secretary", "member"] });
    // Cell by cell, the secretary first.
    expect(members[0]?.id).toBe(secretary.id);
  });

  it("links the picked member's web chat and answers /lich through the core", async () => {
    const secretary = demoSecretary(demo);
    const picked = await call("POST", "/pick", { memberId: secretary.id });
    expect(picked.status).toBe(200);
    expect(picked.json).toMatchObject({ member: { id: secretary.id, fullName: secretary.fullName }, history: [], cursor: 0 });
    const identity = await app.chibo.db.chatIdentity.findUniqueOrThrow({ where: { channel_externalUserId: { channel: "web", externalUserId: `web-${secretary.id}` } } });
    expect(identity).toMatchObject({ memberId: secretary.id, chatId: `web-${secretary.id}`, reachable: true });

    const answer = await ask(secretary.id, { text: "/lich" }, 0);
    expect(answer.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông: .+ 19:30\.\nĐịa điểm: Nhà văn hóa thôn Đông\./);
    // The same path as Telegram: a stored update, handled by the processor, answered through the outbox.
    const update = await app.chibo.db.inboundUpdate.findFirstOrThrow({ where: { channel: "web" } });
    expect(update.externalId).toMatch(new RegExp(`^web-${secretary.id}:`));
    await waitUntil(async () => (await app.chibo.db.inboundUpdate.findUniqueOrThrow({ where: { id: update.id } })).status === "done");
    const row = await app.chibo.db.outboxMessage.findUniqueOrThrow({ where: { id: answer.id } });
    expect(row).toMatchObject({ channel: "web", chatId: `web-${secretary.id}`, status: "sent", externalMessageId: String(row.id) });
  });

  it("sends a pressed button's payload: /ngonngu then English", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-tay")!;
    await call("POST", "/pick", { memberId: member.id });
    const menu = await ask(member.id, { text: "/ngonngu" }, 0);
    const english = menu.buttons?.flat().find((b) => b.label === "English");
    expect(english).toBeDefined();
    const answer = await ask(member.id, { button: english! }, menu.id);
    expect(answer.text).toBe("chibo will now answer you in English.");
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).language).toBe("en");
  });

  it("gives the conversation back, both sides, when the member is picked again", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-nam")!;
    await call("POST", "/pick", { memberId: member.id });
    const answer = await ask(member.id, { text: "/lich" }, 0);
    const again = await call("POST", "/pick", { memberId: member.id });
    expect(again.json.cursor).toBe(answer.id);
    expect((again.json.history as { from: string; text: string }[]).map((i) => [i.from, i.text])).toEqual([["me", "/lich"], ["bot", answer.text]]);
  });

  it("stores a send the page retries with the same id once, and answers it once", async () => {
    const member = demo.find((m) => m.cellCode === "demo-truong-th")!;
    await call("POST", "/pick", { memberId: member.id });
    const body = { memberId: member.id, clientId: "retry-0001", text: "/huongdan" };
    expect((await call("POST", "/send", body)).json).toMatchObject({ duplicate: false });
    expect((await call("POST", "/send", body)).json).toMatchObject({ duplicate: true });
    await waitUntil(async () => (await app.chibo.db.inboundUpdate.findFirstOrThrow({ where: { externalId: `web-${member.id}:retry-0001` } })).status === "done");
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.chibo.db.outboxMessage.count({ where: { chatId: `web-${member.id}` } })).toBe(1);
  });

  it("gives no link code: anyone may be a demo member here, and a code would tie a real account to one", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-nam")!;
    const codes = () => app.chibo.db.inviteCode.count({ where: { memberId: member.id } });
    const codesBefore = await codes();
    const picked = await call("POST", "/pick", { memberId: member.id });
    const answer = await ask(member.id, { text: "/maketnoi" }, Number(picked.json.cursor ?? 0));
    expect(answer.text).toBe("Khung chat trên web chỉ để dùng thử nên không cấp mã kết nối. Đồng chí gửi /maketnoi trong Zalo hoặc Telegram đã liên kết, hoặc xin bí thư chi bộ cấp mã mời.");
    expect(await codes()).toBe(codesBefore);
  });

  it("refuses a real member on every route as an id that does not exist, and keeps nothing of the attempt", async () => {
    const updatesBefore = await app.chibo.db.inboundUpdate.count();
    const expected = { error: "web:unknownMember", message: `Không tìm thấy đảng viên #${realMemberId}. Đồng chí chọn lại trong danh sách.` };
    expect(await call("POST", "/pick", { memberId: realMemberId })).toEqual({ status: 404, json: expected });
    expect(await call("POST", "/send", { memberId: realMemberId, text: "/lich" })).toEqual({ status: 404, json: expected });
    expect(await call("GET", `/messages?memberId=${realMemberId}&after=0`)).toEqual({ status: 404, json: expected });
    const missing = realMemberId + 100_000;
    expect(await call("POST", "/pick", { memberId: missing })).toEqual({ status: 404, json: { ...expected, message: `Không tìm thấy đảng viên #${missing}. Đồng chí chọn lại trong danh sách.` } });
    expect(await app.chibo.db.chatIdentity.count({ where: { memberId: realMemberId } })).toBe(0);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(updatesBefore);
  });

  it("answers bad input with a translated error, never a stack trace", async () => {
    const memberId = demoSecretary(demo).id;
    expect(await call("POST", "/pick", { memberId: 99_999, lang: "en" })).toEqual({ status: 404, json: { error: "web:unknownMember", message: "Member #99999 was not found. Please pick again from the list." } });
    expect(await call("POST", "/send", { memberId, text: "   " })).toMatchObject({ status: 400, json: { error: "web:textEmpty", message: "Tin nhắn đang trống: đồng chí nhập nội dung rồi bấm Gửi." } });
    const tooLong = await call("POST", "/send", { memberId, text: "ạ".repeat(4001), lang: "en" });
    expect(tooLong).toMatchObject({ status: 400, json: { error: "web:textTooLong", message: "The message is longer than 4000 characters. Please shorten it and send again." } });
    expect(await call("POST", "/send", "{not json")).toMatchObject({ status: 400, json: { error: "web:badRequest" } });
    expect(await call("POST", "/send", { memberId, button: { payload: "x".repeat(65), label: "x" } })).toMatchObject({ status: 400, json: { error: "web:badRequest" } });
    expect(await call("POST", "/send", { memberId: "abc", text: "/lich" })).toMatchObject({ status: 400, json: { error: "web:badRequest" } });
    expect(await call("GET", "/messages?memberId=-1")).toMatchObject({ status: 400, json: { error: "web:badRequest" } });
    // Exactly at the limit is fine.
    expect((await call("POST", "/send", { memberId, text: "ạ".repeat(4000) })).status).toBe(202);
  });

  it("serves the page self-contained, behind a policy that allows only its own script", async () => {
    const res = await fetch(`${app.baseUrl}/chat`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'sha256-[^']+'/);
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain("npm run chibo -- demo");
  });
});

describe("web chat without demo data", () => {
  it("lists nobody, so the page can say how to load the demo", async () => {
    const empty = await startChiboLocal();
    try {
      const res = await fetch(`${empty.baseUrl}/chat/api/members`);
      expect(await res.json()).toEqual({ members: [] });
    } finally {
      await empty.stop();
    }
  });

  it("is not served when WEB_CHAT_ENABLED=false", async () => {
    const off = await startChiboLocal({ WEB_CHAT_ENABLED: "false" });
    try {
      expect((await fetch(`${off.baseUrl}/chat`)).status).toBe(404);
      expect((await fetch(`${off.baseUrl}/chat/api/members`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
