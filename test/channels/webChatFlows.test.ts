import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoSecretary, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";

/**
 * Every chat flow driven only through the web chat's API, as the page does it: pick a demo
 * member, send text or a pressed button, read chibo's answers back. The calendar is fixed on
 * Thursday 3 Dec 2026, 10:00 in Vietnam; the demo's village cells meet Monday the 7th at 19:30.
 */
const NOW = "2026-12-03T03:00:00Z";
const MEETING = "Thứ Hai, 07/12/2026 19:30";
const MOVED_TO = "Thứ Ba, 08/12/2026 19:30";
const REASON = "đi viện khám mắt";
const FEEDBACK = "Bãi rác đầu thôn Đông bốc mùi, đề nghị xã cho xe thu gom 2 lần/tuần.";
const NOTICE = "Tối thứ Bảy họp bàn việc làm đường liên thôn.";
const ANSWER = "UBND xã đã bố trí xe thu gom rác 2 lần/tuần từ tháng 12.";

interface Button {
  label: string;
  payload: string;
}
interface BotMessage {
  id: number;
  text: string;
  buttons?: Button[][];
  attachment?: { fileName: string; mimeType: string; base64: string };
}
interface Person {
  id: number;
  fullName: string;
}

let app: LocalChibo;
let member: Person; // a plain member of Chi bộ thôn Đông
let secretary: Person; // its secretary
let reviewer: Person; // its deputy secretary, who reviews feedback for the commune (Đảng ủy xã Hòa Bình)
/** Per member: the page's cursor, and messages read but not yet looked at by the test. */
const cursors = new Map<number, number>();
const unread = new Map<number, BotMessage[]>();
const seen = new Map<number, number>();

async function api(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${app.baseUrl}/chat/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function pick(person: Person): Promise<void> {
  const { status, json } = await api("POST", "/pick", { memberId: person.id });
  expect(status).toBe(200);
  cursors.set(person.id, json.cursor as number);
  unread.set(person.id, []);
}

/** The next `count` messages chibo sends to the person's web chat, long-polling as the page does. */
async function inbox(person: Person, count = 1): Promise<BotMessage[]> {
  const buffer = unread.get(person.id)!;
  const deadline = Date.now() + 10_000;
  while (buffer.length < count) {
    if (Date.now() > deadline) throw new Error(`${person.fullName}: ${buffer.length} of ${count} messages within 10 s`);
    const { json } = await api("GET", `/messages?memberId=${person.id}&after=${cursors.get(person.id)}&wait=5`);
    buffer.push(...(json.messages as BotMessage[]));
    seen.set(person.id, (seen.get(person.id) ?? 0) + (json.messages as BotMessage[]).length);
    cursors.set(person.id, json.cursor as number);
  }
  return buffer.splice(0, count);
}

async function say(person: Person, text: string, count = 1): Promise<BotMessage[]> {
  expect((await api("POST", "/send", { memberId: person.id, text })).status).toBe(202);
  return inbox(person, count);
}

/** Presses the button with this label under `message`, sending its payload as the page does. */
async function press(person: Person, message: BotMessage | undefined, label: string, count = 1): Promise<BotMessage[]> {
  const button = message?.buttons?.flat().find((b) => b.label === label);
  if (!button) throw new Error(`no button «${label}» under: ${message?.text}`);
  expect((await api("POST", "/send", { memberId: person.id, button })).status).toBe(202);
  return inbox(person, count);
}

const labels = (message: BotMessage | undefined) => (message?.buttons ?? []).map((row) => row.map((b) => b.label));

beforeAll(async () => {
  app = await startChiboLocal({}, { clock: runningClock(NOW) });
  const { db, services } = app.chibo;
  const demo = (await services.demo.load(new Date(NOW), { kind: "cli" })).members;
  secretary = demoSecretary(demo);
  const commune = await db.role.findFirstOrThrow({ where: { role: "reviewer", organization: { code: "demo-xa" } }, include: { member: true } });
  reviewer = commune.member;
  member = await db.member.findFirstOrThrow({ where: { cell: { code: "demo-thon-dong" }, exemption: "none", roles: { every: { role: "member" } } }, orderBy: { id: "asc" } });
  expect(demo.find((m) => m.id === reviewer.id)).toMatchObject({ cellCode: "demo-thon-dong", roles: expect.arrayContaining(["deputy_secretary", "reviewer"]) });
  // Only picked members have a web chat: these three, so a notice reaches two chats.
  for (const person of [member, secretary, reviewer]) await pick(person);
});
afterAll(async () => {
  await app.stop();
});

describe("every chat flow through the web chat", () => {
  it("1. /lich, Vắng, the reason: the absence is recorded with it", async () => {
    const [schedule] = await say(member, "/lich");
    expect(schedule!.text).toBe(`Buổi sinh hoạt tới của Chi bộ thôn Đông: ${MEETING}.\nĐịa điểm: Nhà văn hóa thôn Đông.\nĐồng chí chưa báo có dự hay không.`);
    expect(labels(schedule)).toEqual([["Có mặt", "Vắng"]]);
    const [ask] = await press(member, schedule, "Vắng");
    expect(ask!.text).toBe(`Đã ghi: đồng chí vắng buổi sinh hoạt ${MEETING}.\nĐồng chí cho biết lý do vắng (gõ một câu ngắn):`);
    expect(labels(ask)).toEqual([["Không nêu lý do"]]);
    const [noted] = await say(member, REASON);
    expect(noted!.text).toBe(`Đã ghi lý do vắng: ${REASON}. Cảm ơn đồng chí.`);
    expect(await app.chibo.db.attendance.findFirst({ where: { memberId: member.id } })).toMatchObject({ answer: "absent", reason: REASON, source: "button" });
    expect(await app.chibo.db.chatFlow.count()).toBe(0);
  });

  it("2. /gopy: addressee, category, text, anonymous, confirm, a reference; /gopycuatoi lists it", async () => {
    const [intro, addressee] = await say(member, "/gopy", 2);
    expect(intro!.text).toMatch(/^Gửi phản ánh, góp ý với cấp ủy, chính quyền xã và cấp trên\./);
    expect(addressee!.text).toBe("Đồng chí gửi tới đâu?");
    const [category] = await press(member, addressee, "Ủy ban nhân dân xã");
    expect(category!.text).toBe("Góp ý thuộc lĩnh vực nào?");
    const [askText] = await press(member, category, "Môi trường");
    expect(askText!.text).toMatch(/^Đồng chí viết nội dung phản ánh, góp ý \(tối đa 3000 ký tự\)/);
    const [anonymity] = await say(member, FEEDBACK);
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    const anonymous = anonymity!.buttons!.flat().find((b) => b.payload === "gy:anon:1")!;
    const [confirm] = await press(member, anonymity, anonymous.label);
    expect(confirm!.text).toBe(["Đồng chí xem lại trước khi gửi:", "", "Gửi tới: Ủy ban nhân dân xã", "Lĩnh vực: Môi trường", "Ẩn danh", `Nội dung: ${FEEDBACK}`].join("\n"));
    expect(await app.chibo.db.feedback.count()).toBe(0);
    const [sent] = await press(member, confirm, "Gửi");
    expect(sent!.text).toMatch(/^Đã gửi phản ánh, góp ý \(ẩn danh\)\. Số tham chiếu: GY-2026-000001\./);
    expect(await app.chibo.db.feedback.findFirstOrThrow()).toMatchObject({ reference: "GY-2026-000001", anonymous: true, authorId: member.id, status: "submitted" });
    const [mine] = await say(member, "/gopycuatoi");
    expect(mine!.text).toBe("Phản ánh, góp ý của đồng chí (1):\n• GY-2026-000001 (03/12/2026, Môi trường): Đã gửi");
  });

  it("3. the secretary: /diemdanh shows the absence; /thongbao reaches the member's web chat, Đã nhận is counted", async () => {
    const [roll] = await say(secretary, "/diemdanh");
    const lines = roll!.text.split("\n");
    expect(lines.slice(0, 4)).toEqual([`Điểm danh buổi sinh hoạt ${MEETING} — Chi bộ thôn Đông`, "Có mặt (0): —", "Vắng (1):", `  • ${member.fullName} — ${REASON}`]);
    expect(lines[4]).toMatch(/^Chưa trả lời \(\d+\): /);

    const [preview] = await say(secretary, `/thongbao ${NOTICE}`);
    expect(preview!.text).toBe(`Xem trước thông báo gửi tới Chi bộ thôn Đông (16 đảng viên):\n\n📢 Thông báo của Chi bộ thôn Đông:\n${NOTICE}`);
    expect(await app.chibo.db.notice.count()).toBe(0);
    const [queued] = await press(secretary, preview, "Gửi");
    expect(queued!.text).toBe("Đã xếp gửi thông báo tới 2 chat của đảng viên và 0 nhóm chi bộ. 14 đảng viên chưa liên kết chibo nên không nhận được qua đây.");

    const [notice] = await inbox(member);
    expect(notice!.text).toBe(`📢 Thông báo của Chi bộ thôn Đông:\n${NOTICE}`);
    expect(labels(notice)).toEqual([["Đã nhận"]]);
    expect((await inbox(reviewer))[0]!.text).toBe(notice!.text);
    const [ack] = await press(member, notice, "Đã nhận");
    expect(ack!.text).toBe("Cảm ơn đồng chí, đã ghi nhận đồng chí nhận được thông báo.");

    // Both notices were read back through the API, so both rows are sent.
    const [report] = await press(secretary, queued, labels(queued)[0]![0]!);
    expect(report!.text.split("\n").slice(0, 3)).toEqual([
      "Báo cáo gửi thông báo tới Chi bộ thôn Đông:",
      "Tổng 2 tin: đã gửi 2, đang chờ 0, lỗi 0, không tới được 0.",
      `Đã báo nhận: 1/2 — ${member.fullName}`,
    ]);
    expect(report!.text.split("\n")[3]).toMatch(/^Chưa liên kết chibo \(14\): /);
  });

  it("4. /doilich: a day, a reason; the commune's officer is told in their web chat, the members too", async () => {
    const [ask] = await say(secretary, "/doilich");
    expect(ask!.text).toBe(`Buổi sinh hoạt thường kỳ ${MEETING}. Theo quy định chỉ được lùi tối đa 2 ngày, khi có lý do đặc biệt. Đồng chí chọn ngày mới:`);
    expect(labels(ask)).toEqual([[MOVED_TO], ["Thứ Tư, 09/12/2026 19:30"], ["Hủy"]]);
    const [askReason] = await press(secretary, ask, MOVED_TO);
    expect(askReason!.text).toMatch(/^Lùi sang Thứ Ba, 08\/12\/2026 19:30\. Đồng chí nêu lý do/);
    const [done] = await say(secretary, "Trùng lịch tiêm phòng của xã");
    expect(done!.text).toBe(`Đã lùi buổi sinh hoạt từ ${MEETING} sang ${MOVED_TO}. Lý do: Trùng lịch tiêm phòng của xã.\nĐã báo Đảng ủy xã Hòa Bình (1 người nhận) và các đảng viên trong chi bộ.`);

    // The commune's only officer (its reviewer) has a web chat, picked above: told there first,
    // then, being a member of the cell, told as a member.
    const [superior, asMember] = await inbox(reviewer, 2);
    expect(superior!.text).toBe(`Chi bộ thôn Đông lùi buổi sinh hoạt thường kỳ từ ${MEETING} sang ${MOVED_TO}. Lý do: Trùng lịch tiêm phòng của xã. Người đổi: đồng chí ${secretary.fullName}.`);
    expect(asMember!.text).toContain(`lùi từ ${MEETING} sang ${MOVED_TO}`);
    const rows = await app.chibo.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "postponed-superior:" } } });
    expect(rows).toMatchObject([{ channel: "web", chatId: `web-${reviewer.id}`, memberId: reviewer.id, status: "sent" }]);
    const meeting = await app.chibo.db.meeting.findFirstOrThrow({ where: { cell: { code: "demo-thon-dong" } } });
    expect(meeting.postponedTo?.toISOString()).toBe("2026-12-08T12:30:00.000Z");
    expect(meeting.superiorInformedAt).not.toBeNull();

    const [moved] = await inbox(member);
    expect(moved!.text).toBe(asMember!.text);
    expect(labels(moved)).toEqual([["Có mặt", "Vắng"]]);
  });

  it("5. the commune reviewer: /tonghop with the .xlsx, opens the item, answers; the author's web chat gets the answer", async () => {
    const [digest, file] = await say(reviewer, "/tonghop", 2);
    expect(digest!.text).toBe([
      "Tổng hợp phản ánh, góp ý — Đảng ủy xã Hòa Bình",
      "Tuần này, từ 30/11/2026 đến 06/12/2026",
      "",
      "Tổng số trong kỳ: 1",
      "Theo trạng thái: Đã gửi (1)",
      "Theo chi bộ: Chi bộ thôn Đông (1)",
      "Theo nơi nhận: Ủy ban nhân dân xã (1)",
      "",
      "Không có phản ánh, góp ý nào quá hạn trả lời.",
      "",
      "Mới nhất:",
      `• GY-2026-000001 (03/12/2026) — Chi bộ thôn Đông · Môi trường · Đã gửi: «${FEEDBACK}»`,
      "",
      "Chọn số tham chiếu dưới đây để xem và xử lý, hoặc gửi /xem kèm số tham chiếu.",
    ].join("\n"));
    expect(labels(digest)).toEqual([["GY-2026-000001"], ["Tuần trước", "Tháng này"]]);
    expect(digest!.text).not.toContain(member.fullName);
    expect(file!.text).toBe("Tệp Excel tổng hợp: gop-y-demo-xa-2026-11-30.xlsx");
    expect(file!.attachment).toMatchObject({ fileName: "gop-y-demo-xa-2026-11-30.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    expect(file!.attachment!.fileName.endsWith(".xlsx")).toBe(true);
    const bytes = Buffer.from(file!.attachment!.base64, "base64");
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(bytes.length).toBeGreaterThan(1000);

    const [view] = await press(reviewer, digest, "GY-2026-000001");
    expect(view!.text).toMatch(/^Phản ánh, góp ý GY-2026-000001\n/);
    expect(view!.text).toContain("\nNgười gửi: ẩn danh\n");
    expect(view!.text).not.toContain(member.fullName);
    expect(labels(view)).toEqual([["Nhận xem xét", "Chuyển cơ quan"], ["Trả lời", "Không tiếp nhận"], ["Xem lại"]]);
    const [askAnswer] = await press(reviewer, view, "Trả lời");
    expect(askAnswer!.text).toBe("Đồng chí gõ nội dung trả lời GY-2026-000001 (tối đa 3000 ký tự). chibo sẽ cho đồng chí xem trước; câu trả lời chỉ được gửi tới người gửi góp ý khi đồng chí chọn «Gửi».");
    const [preview] = await say(reviewer, ANSWER);
    expect(preview!.text).toBe(`Xem trước câu trả lời GY-2026-000001. Người gửi góp ý sẽ nhận được tin nhắn dưới đây. Chọn «Gửi» để gửi, «Sửa» để viết lại, «Hủy» để bỏ.\n\nPhản ánh, góp ý GY-2026-000001 của đồng chí («${FEEDBACK}») đã được trả lời:\n\n${ANSWER}`);
    expect(labels(preview)).toEqual([["Gửi", "Sửa", "Hủy"]]);
    const [answered, after] = await press(reviewer, preview, "Gửi", 2);
    expect(answered!.text).toBe("Đã chuyển GY-2026-000001 từ «Đã gửi» sang «Đã trả lời». Câu trả lời đang được gửi tới người gửi góp ý.");
    expect(after!.text).toContain(`\n\nĐã trả lời ngày 03/12/2026:\n${ANSWER}\n\n`);
    expect(after!.text).not.toContain(member.fullName);

    const [answer] = await inbox(member);
    expect(answer!.text).toBe(`Phản ánh, góp ý GY-2026-000001 của đồng chí («${FEEDBACK}») đã được trả lời:\n\n${ANSWER}`);
    const [mine] = await say(member, "/gopycuatoi");
    expect(mine!.text).toContain(`GY-2026-000001 (03/12/2026, Môi trường): Đã trả lời\n   Trả lời: ${ANSWER}`);
  });

  it("sent nothing to these web chats beyond what the steps above looked at", async () => {
    for (const person of [member, secretary, reviewer]) {
      expect(unread.get(person.id)).toEqual([]);
      expect(await app.chibo.db.outboxMessage.count({ where: { channel: "web", chatId: `web-${person.id}` } })).toBe(seen.get(person.id) ?? 0);
    }
  });
});
