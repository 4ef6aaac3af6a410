import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { columnsHolding } from "../helpers/storedText.ts";
import { buttonsOf, forEachChannel, labelsOf, NOW, startConversationWorld, type ConversationWorld, type Person, type SentMessage } from "./harness.ts";

forEachChannel("review", (channel) => {
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld(channel);
});
afterEach(() => w.stop());

const ANON_NAME = "Ngô Văn Bảy"; // the member of cell A, who writes anonymously below
const TEXT_OVERDUE = "Đường vào nghĩa trang thôn Đông bị sạt lở, đề nghị sửa gấp trước mùa mưa.";
const TEXT_A = "Bãi rác đầu thôn Đông bốc mùi, đề nghị xã cho xe thu gom 2 lần/tuần.";
const TEXT_B = "Trường mầm non thôn Tây thiếu phòng học.";
const TEXT_C = "Tình trạng đua xe trên đê Quang Phục vào buổi tối.";

interface Items {
  overdueA: number;
  lastWeekB: number;
  anonA: number;
  signedB: number;
  anonC: number;
}

/**
 * GY-2026-000001 cell A, anonymous, 10/11 (overdue since 25/11); 000002 cell B, signed, last week;
 * 000003 cell A, anonymous, this week; 000004 cell B, signed, to an agency, this week;
 * 000005 cell C, anonymous, this week.
 */
async function seed(): Promise<Items> {
  const submit = async (author: Person, at: string, over: { anonymous: boolean; addressee: string; category: string; text: string; agencyName?: string }) =>
    (await w.app.chibo.feedback.submit({ authorId: author.memberId, now: new Date(at), ...over })).id;
  const { member, memberB, memberC } = w.people;
  return {
    overdueA: await submit(member, "2026-11-10T02:00:00Z", { anonymous: true, addressee: "peoples_committee", category: "land", text: TEXT_OVERDUE }),
    lastWeekB: await submit(memberB, "2026-11-25T02:00:00Z", { anonymous: false, addressee: "party_committee", category: "economy", text: "Đề nghị hỗ trợ vốn vay cho hộ nghèo thôn Tây." }),
    anonA: await submit(member, "2026-12-01T01:00:00Z", { anonymous: true, addressee: "peoples_committee", category: "environment", text: TEXT_A }),
    signedB: await submit(memberB, "2026-12-02T02:00:00Z", { anonymous: false, addressee: "agency", agencyName: "Phòng Văn hóa – Xã hội xã", category: "health_education", text: TEXT_B }),
    anonC: await submit(memberC, "2026-12-02T03:00:00Z", { anonymous: true, addressee: "fatherland_front", category: "security", text: TEXT_C }),
  };
}

/** Every cell of every sheet of an .xlsx, as text. */
async function workbookText(bytes: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells.join("\n");
}

/** The `index`-th message that carried a file (Telegram) or the note a Zalo channel says instead. */
async function documentTo(person: Person, index = 0) {
  const files = async () => (await w.sentTo(person)).filter((m) => m.file ?? m.note);
  await expect.poll(async () => (await files()).length).toBeGreaterThan(index);
  return (await files())[index]!;
}

/** The .xlsx on Telegram; the Zalo channels cannot send files and say so under the caption instead. */
async function workbookOf(message: SentMessage, fileName: string): Promise<string | undefined> {
  if (channel === "telegram") {
    expect(message.file!.fileName).toBe(fileName);
    return workbookText(message.file!.bytes);
  }
  expect(message.file).toBeUndefined();
  expect(message.note).toContain(fileName);
  return undefined;
}

/**
 * On the Zalo bot a reply picks among the choices shown last in the chat, so the reviewer first
 * opens the item (as they would) before acting on it; elsewhere the item's buttons are pressed.
 */
async function showFirstOnZaloBot(person: Person, reference: string) {
  if (channel !== "zalo_bot") return;
  const [view] = await w.say(person, `/xem ${reference}`);
  expect(view!.text).toContain(reference);
}

/** The same for the digest's buttons: on the Zalo bot the reviewer asks for the digest (and its file) first. */
async function digestFirstOnZaloBot(person: Person) {
  if (channel !== "zalo_bot") return;
  const [digest] = await w.say(person, "/tonghop", 2);
  expect(digest!.text).toMatch(/^Tổng hợp phản ánh, góp ý — /);
}

const statusOf = async (id: number) => (await w.db.feedback.findUniqueOrThrow({ where: { id } })).status;
const ASK_ANSWER_3 = "Đồng chí gõ nội dung trả lời GY-2026-000003 (tối đa 3000 ký tự). chibo sẽ cho đồng chí xem trước; câu trả lời chỉ được gửi tới người gửi góp ý khi đồng chí chọn «Gửi».";

describe("/tonghop: the committee's feedback digest", () => {
  it("sums up this week for commune X, with item and period buttons, and sends the .xlsx; no author anywhere", async () => {
    const items = await seed();
    const [digest] = await w.say(w.people.reviewerX, "/tonghop");
    expect(digest!.text).toBe([
      "Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ",
      "Tuần này, từ 30/11/2026 đến 06/12/2026",
      "",
      "Tổng số trong kỳ: 2",
      "Theo trạng thái: Đã gửi (2)",
      "Theo chi bộ: Chi bộ thôn Đông (1); Chi bộ thôn Tây (1)",
      "Theo nơi nhận: Ủy ban nhân dân xã (1); Cơ quan, đoàn thể (1)",
      "",
      "Quá hạn chưa trả lời (1):",
      `• GY-2026-000001 — Chi bộ thôn Đông · Đất đai · Đã gửi · hạn 24/11/2026: «${TEXT_OVERDUE}»`,
      "",
      "Mới nhất:",
      `• GY-2026-000004 (02/12/2026) — Chi bộ thôn Tây · Y tế, giáo dục · Đã gửi: «${TEXT_B}»`,
      `• GY-2026-000003 (01/12/2026) — Chi bộ thôn Đông · Môi trường · Đã gửi: «${TEXT_A}»`,
      "",
      "Chọn số tham chiếu dưới đây để xem và xử lý, hoặc gửi /xem kèm số tham chiếu.",
    ].join("\n"));
    expect(labelsOf(digest)).toEqual([["GY-2026-000004", "GY-2026-000003"], ["GY-2026-000001"], ["Tuần trước", "Tháng này"]]);
    expect(buttonsOf(digest)).toEqual([
      [`rv:o:${items.signedB}`, `rv:o:${items.anonA}`],
      [`rv:o:${items.overdueA}`],
      [`th:lastweek:${w.orgs.communeX.id}`, `th:month:${w.orgs.communeX.id}`],
    ]);
    // Commune Y's item is not in X's digest; nobody's name is, signed or not.
    expect(digest!.text).not.toContain("GY-2026-000005");
    for (const name of [ANON_NAME, "Vũ Thị Năm", "Đinh Văn Tám"]) expect(digest!.text).not.toContain(name);

    const file = await documentTo(w.people.reviewerX);
    expect(file.text).toBe("Tệp Excel tổng hợp: gop-y-ha-ky-2026-11-30.xlsx");
    const sheets = await workbookOf(file, "gop-y-ha-ky-2026-11-30.xlsx");
    if (sheets === undefined) return;
    expect(sheets).toContain("GY-2026-000003");
    expect(sheets).toContain("Vũ Thị Năm"); // a signed item names its author in the file
    expect(sheets).toContain("Ẩn danh");
    expect(sheets).not.toContain(ANON_NAME);
    expect(sheets).not.toContain("GY-2026-000005");
    // The queued row holds the same file.
    const row = await w.db.outboxMessage.findFirstOrThrow({ where: { chatId: "720", attachment: { not: null } } });
    expect(Buffer.from((JSON.parse(row.attachment!) as { base64: string }).base64, "base64").equals(file.file!.bytes)).toBe(true);
  });

  it("other periods by button: last week, this month", async () => {
    await seed();
    const communeX = w.orgs.communeX.id;
    await digestFirstOnZaloBot(w.people.reviewerX);
    const [lastWeek] = await w.press(w.people.reviewerX, `th:lastweek:${communeX}`);
    expect(lastWeek!.text.split("\n").slice(0, 6)).toEqual([
      "Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ",
      "Tuần trước, từ 23/11/2026 đến 29/11/2026",
      "",
      "Tổng số trong kỳ: 1",
      "Theo trạng thái: Đã gửi (1)",
      "Theo chi bộ: Chi bộ thôn Tây (1)",
    ]);
    expect(lastWeek!.text).toContain("• GY-2026-000002 (25/11/2026)");
    expect(labelsOf(lastWeek).at(-1)).toEqual(["Tuần này", "Tháng này"]);
    // On the Zalo bot the first digest's file note came before this one.
    await workbookOf(await documentTo(w.people.reviewerX, channel === "zalo_bot" ? 1 : 0), "gop-y-ha-ky-2026-11-23.xlsx");

    const [month] = await w.press(w.people.reviewerX, `th:month:${communeX}`);
    expect(month!.text.split("\n").slice(1, 4)).toEqual(["Tháng này, từ 01/12/2026 đến 31/12/2026", "", "Tổng số trong kỳ: 2"]);
  });

  it("an empty period says so and sends no file", async () => {
    const [digest] = await w.say(w.people.reviewerY, "/tonghop");
    expect(digest!.text).toBe([
      "Tổng hợp phản ánh, góp ý — Đảng ủy xã Quang Phục",
      "Tuần này, từ 30/11/2026 đến 06/12/2026",
      "",
      "Trong kỳ chưa có phản ánh, góp ý nào.",
      "",
      "Không có phản ánh, góp ý nào quá hạn trả lời.",
    ].join("\n"));
    await new Promise((r) => setTimeout(r, 200));
    expect((await w.sentTo(w.people.reviewerY)).filter((m) => m.file ?? m.note)).toHaveLength(0);
  });

  it("the province sees every cell; a member may not; a reviewer cannot open another commune's digest", async () => {
    await seed();
    const [province] = await w.say(w.people.reviewerProvince, "/tonghop");
    expect(province!.text).toContain("Tổng hợp phản ánh, góp ý — Thành ủy Hải Phòng");
    expect(province!.text).toContain("Tổng số trong kỳ: 3");
    expect(province!.text).toContain("Chi bộ thôn Nam (1)");
    expect(province!.text).not.toContain(ANON_NAME);
    const sheets = await workbookOf(await documentTo(w.people.reviewerProvince), "gop-y-hai-phong-2026-11-30.xlsx");
    for (const name of [ANON_NAME, "Đinh Văn Tám"]) if (sheets !== undefined) expect(sheets).not.toContain(name);

    const [refused] = await w.say(w.people.member, "/tonghop");
    expect(refused!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    const refusedButton = await w.pressUnshown(w.people.secretary, `th:week:${w.orgs.communeX.id}`);
    if (refusedButton) expect(refusedButton.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    const otherCommune = await w.pressUnshown(w.people.reviewerY, `th:week:${w.orgs.communeX.id}`);
    if (otherCommune) expect(otherCommune.text).toBe("Đồng chí không được phân công xem xét tổ chức này.");

    // /huongdan lists the two commands to reviewers only.
    const [help] = await w.say(w.people.reviewerX, "/huongdan");
    expect(help!.text).toContain("/tonghop — Tổng hợp phản ánh, góp ý của các chi bộ (cấp ủy)");
    expect(help!.text).toContain("/xem — Xem và xử lý một phản ánh, góp ý theo số tham chiếu (cấp ủy)");
    const [memberHelp] = await w.say(w.people.member, "/huongdan");
    expect(memberHelp!.text).not.toContain("/tonghop");
  });

  it("several scopes: nested ones give the largest, separate ones ask which", async () => {
    await seed();
    // The province reviewer also reviews commune X: the province's digest covers it.
    await w.db.role.create({ data: { memberId: w.people.reviewerProvince.memberId, role: "reviewer", organizationId: w.orgs.communeX.id } });
    const [province] = await w.say(w.people.reviewerProvince, "/tonghop");
    expect(province!.text).toMatch(/^Tổng hợp phản ánh, góp ý — Thành ủy Hải Phòng\n/);
    // Reviewer Y also reviews commune X: two separate subtrees, so chibo asks.
    await w.db.role.create({ data: { memberId: w.people.reviewerY.memberId, role: "reviewer", organizationId: w.orgs.communeX.id } });
    const [choose] = await w.say(w.people.reviewerY, "/tonghop");
    expect(choose!.text).toBe("Đồng chí được phân công xem xét nhiều tổ chức. Đồng chí muốn xem tổng hợp của tổ chức nào?");
    expect(labelsOf(choose)).toEqual([["Đảng ủy xã Hà Kỳ"], ["Đảng ủy xã Quang Phục"]]);
    const [digestX] = await w.press(w.people.reviewerY, buttonsOf(choose)[0]![0]!);
    expect(digestX!.text).toMatch(/^Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ\nTuần này/);
  });
});

describe("/xem and the item buttons: a reviewer handles one item", () => {
  it("shows an anonymous item without its author, with the actions of its status", async () => {
    const items = await seed();
    for (const reference of ["GY-2026-000003", "gy-2026-000003", "2026-3", "3"]) {
      const [view] = await w.say(w.people.reviewerX, `/xem ${reference}`);
      expect(view!.text).toBe([
        "Phản ánh, góp ý GY-2026-000003",
        "Ngày gửi: 01/12/2026 08:00",
        "Chi bộ: Chi bộ thôn Đông",
        "Gửi tới: Ủy ban nhân dân xã",
        "Lĩnh vực: Môi trường",
        "Trạng thái: Đã gửi",
        "Hạn trả lời: 15/12/2026",
        "Người gửi: ẩn danh",
        "",
        "Nội dung:",
        TEXT_A,
        "",
        "Quá trình xử lý:",
        "• 01/12/2026 08:00: Đã gửi",
      ].join("\n"));
      expect(labelsOf(view)).toEqual([["Nhận xem xét", "Chuyển cơ quan"], ["Trả lời", "Không tiếp nhận"], ["Xem lại"]]);
      expect(buttonsOf(view)).toEqual([
        [`rv:a:review:${items.anonA}:submitted`, `rv:a:forward:${items.anonA}:submitted`],
        [`rv:a:answer:${items.anonA}:submitted`, `rv:a:reject:${items.anonA}:submitted`],
        [`rv:o:${items.anonA}`],
      ]);
    }
  });

  it("a signed item names its author; an overdue one is marked", async () => {
    const items = await seed();
    await digestFirstOnZaloBot(w.people.reviewerX);
    const [signed] = await w.press(w.people.reviewerX, `rv:o:${items.signedB}`);
    expect(signed!.text).toContain("Gửi tới: Cơ quan, đoàn thể: Phòng Văn hóa – Xã hội xã\n");
    expect(signed!.text).toContain("Người gửi: đồng chí Vũ Thị Năm, Chi bộ thôn Tây\n");
    expect(signed!.text).toContain("• 02/12/2026 09:00: Đã gửi");
    await digestFirstOnZaloBot(w.people.reviewerX);
    const [overdue] = await w.press(w.people.reviewerX, `rv:o:${items.overdueA}`);
    expect(overdue!.text).toContain("Hạn trả lời: 24/11/2026 — QUÁ HẠN\nNgười gửi: ẩn danh\n");
    expect(overdue!.text).not.toContain(ANON_NAME);
  });

  it("review, forward (asking the agency), answer (asking the text, sent to the author), close", async () => {
    const items = await seed();
    const x = w.people.reviewerX;
    await showFirstOnZaloBot(x, "GY-2026-000003");
    const [done, view] = await w.press(x, `rv:a:review:${items.anonA}:submitted`, 2);
    expect(done!.text).toBe("Đã chuyển GY-2026-000003 từ «Đã gửi» sang «Đang xem xét».");
    expect(view!.text).toContain("Trạng thái: Đang xem xét\n");
    expect(view!.text).toMatch(/\n• \d\d\/12\/2026 \d\d:\d\d: Đã gửi → Đang xem xét \(đồng chí Hoàng Văn Sáu\)$/);
    expect(labelsOf(view)).toEqual([["Chuyển cơ quan", "Trả lời"], ["Không tiếp nhận"], ["Xem lại"]]);

    const [askAgency] = await w.press(x, `rv:a:forward:${items.anonA}:under_review`);
    expect(askAgency!.text).toBe("Đồng chí gõ tên cơ quan, đoàn thể nhận chuyển GY-2026-000003 (tối đa 200 ký tự):");
    expect(labelsOf(askAgency)).toEqual([["Hủy"]]);
    // A sticker is not a name; nor is a name over the limit. The question comes again each time.
    const [needText, again] = await w.sendSticker(x, 2);
    expect(needText!.text).toBe("Bước này cần đồng chí gõ chữ; ảnh hay nhãn dán không dùng được ở đây.");
    expect(again!.text).toBe(askAgency!.text);
    const [tooLong, again2] = await w.say(x, "P".repeat(250), 2);
    expect(tooLong!.text).toBe("Tên cơ quan chỉ được dài tối đa 200 ký tự.");
    expect(again2!.text).toBe(askAgency!.text);
    expect(await statusOf(items.anonA)).toBe("under_review");

    const [forwarded, view2] = await w.say(x, "Sở Nông nghiệp và Môi trường", 2);
    expect(forwarded!.text).toBe("Đã chuyển GY-2026-000003 từ «Đang xem xét» sang «Đã chuyển cơ quan».");
    expect(view2!.text).toMatch(/Đang xem xét → Đã chuyển cơ quan \(đồng chí Hoàng Văn Sáu\): Sở Nông nghiệp và Môi trường$/);
    expect(labelsOf(view2)).toEqual([["Trả lời"], ["Xem lại"]]);
    expect(await w.db.chatFlow.count()).toBe(0);

    const [askAnswer] = await w.press(x, `rv:a:answer:${items.anonA}:forwarded`);
    expect(askAnswer!.text).toBe(ASK_ANSWER_3);
    const [tooLongAnswer] = await w.say(x, "a".repeat(3001), 2);
    expect(tooLongAnswer!.text).toBe("Nội dung trả lời chỉ được dài tối đa 3000 ký tự, hiện có 3001 ký tự.");
    const authorBefore = (await w.sentTo(w.people.member)).length;
    const [preview] = await w.say(x, "UBND xã đã bố trí xe thu gom rác 2 lần/tuần từ tháng 12.");
    expect(labelsOf(preview)).toEqual([["Gửi", "Sửa", "Hủy"]]);
    const [answered, view3] = await w.press(x, "rv:send", 2);
    expect(answered!.text).toBe("Đã chuyển GY-2026-000003 từ «Đã chuyển cơ quan» sang «Đã trả lời». Câu trả lời đang được gửi tới người gửi góp ý.");
    expect(view3!.text).toContain("\n\nĐã trả lời ngày 03/12/2026:\nUBND xã đã bố trí xe thu gom rác 2 lần/tuần từ tháng 12.\n\n");
    expect(view3!.text).not.toContain(ANON_NAME);
    // The anonymous author gets the answer in their own chat.
    await expect.poll(async () => (await w.sentTo(w.people.member)).length).toBeGreaterThan(authorBefore);
    expect((await w.sentTo(w.people.member)).at(-1)!.text).toBe(
      `Phản ánh, góp ý GY-2026-000003 của đồng chí («${TEXT_A}») đã được trả lời:\n\nUBND xã đã bố trí xe thu gom rác 2 lần/tuần từ tháng 12.`,
    );

    const [closed, view4] = await w.press(x, `rv:a:close:${items.anonA}:answered`, 2);
    expect(closed!.text).toBe("Đã chuyển GY-2026-000003 từ «Đã trả lời» sang «Đã kết thúc».");
    expect(view4!.text).toMatch(/\n\nGóp ý này đã xử lý xong, không còn thao tác nào\.$/);
    expect(labelsOf(view4)).toEqual([["Xem lại"]]);
    expect(await statusOf(items.anonA)).toBe("closed");
  });

  it("reject asks the reason; Hủy cancels without a change", async () => {
    const items = await seed();
    const y = w.people.reviewerY;
    await showFirstOnZaloBot(y, "GY-2026-000005");
    const [ask] = await w.press(y, `rv:a:reject:${items.anonC}:submitted`);
    expect(ask!.text).toBe("Đồng chí nêu lý do không tiếp nhận GY-2026-000005 (tối đa 1000 ký tự):");
    const [cancelled] = await w.press(y, "rv:cancel");
    expect(cancelled!.text).toBe("Đã hủy việc xử lý phản ánh. Chưa có gì được lưu.");
    expect(await statusOf(items.anonC)).toBe("submitted");
    await showFirstOnZaloBot(y, "GY-2026-000005");
    await w.press(y, `rv:a:reject:${items.anonC}:submitted`);
    const [rejected, view] = await w.say(y, "Nội dung thuộc thẩm quyền của công an xã, đã chuyển trực tiếp.", 2);
    expect(rejected!.text).toBe("Đã chuyển GY-2026-000005 từ «Đã gửi» sang «Không tiếp nhận».");
    expect(view!.text).toMatch(/Đã gửi → Không tiếp nhận \(đồng chí Bùi Thị Bảy\): Nội dung thuộc thẩm quyền của công an xã, đã chuyển trực tiếp\.\n\nGóp ý này đã xử lý xong/);
    expect(view!.text).not.toContain("Đinh Văn Tám");
  });

  describe("an answer is previewed before it goes", () => {
    const ANSWER_1 = "Xã sẽ cho xe thu gom rác từ thứ Hai tới.";
    const ANSWER_2 = "UBND xã đã bố trí xe thu gom rác 2 lần/tuần từ tháng 12.";
    const previewOf = (answer: string) => [
      "Xem trước câu trả lời GY-2026-000003. Người gửi góp ý sẽ nhận được tin nhắn dưới đây. Chọn «Gửi» để gửi, «Sửa» để viết lại, «Hủy» để bỏ.",
      "",
      `Phản ánh, góp ý GY-2026-000003 của đồng chí («${TEXT_A}») đã được trả lời:`,
      "",
      answer,
    ].join("\n");
    const answerRows = () => w.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "feedback-answer:" } } });

    async function typeAnswer(items: Items, text: string) {
      const x = w.people.reviewerX;
      await showFirstOnZaloBot(x, "GY-2026-000003");
      const [ask] = await w.press(x, `rv:a:answer:${items.anonA}:submitted`);
      expect(ask!.text).toBe(ASK_ANSWER_3);
      const [preview] = await w.say(x, text);
      return preview!;
    }

    it("shows the answer as the author will get it; nothing is stored or sent until Gửi; Sửa takes new words", async () => {
      const items = await seed();
      const x = w.people.reviewerX;
      const preview = await typeAnswer(items, ANSWER_1);
      expect(preview.text).toBe(previewOf(ANSWER_1));
      expect(labelsOf(preview)).toEqual([["Gửi", "Sửa", "Hủy"]]);
      expect(buttonsOf(preview)).toEqual([["rv:send", "rv:edit", "rv:cancel"]]);
      // Words typed now are not sent either.
      const [choose] = await w.say(x, "Gửi luôn đi");
      expect(choose!.text).toBe("Câu trả lời chưa được gửi. Đồng chí chọn «Gửi», «Sửa» hoặc «Hủy».");
      expect(labelsOf(choose)).toEqual([["Gửi", "Sửa", "Hủy"]]);
      expect(await w.db.feedback.findUniqueOrThrow({ where: { id: items.anonA } })).toMatchObject({ status: "submitted", answer: null });
      expect(await answerRows()).toBe(0);

      const [askAgain] = await w.press(x, "rv:edit");
      expect(askAgain!.text).toBe(ASK_ANSWER_3);
      const [preview2] = await w.say(x, ANSWER_2);
      expect(preview2!.text).toBe(previewOf(ANSWER_2));
      expect(await answerRows()).toBe(0);

      const authorBefore = (await w.sentTo(w.people.member)).length;
      const [answered, view] = await w.press(x, "rv:send", 2);
      expect(answered!.text).toBe("Đã chuyển GY-2026-000003 từ «Đã gửi» sang «Đã trả lời». Câu trả lời đang được gửi tới người gửi góp ý.");
      expect(view!.text).toContain(`Đã trả lời ngày 03/12/2026:\n${ANSWER_2}\n`);
      expect(await w.db.feedback.findUniqueOrThrow({ where: { id: items.anonA } })).toMatchObject({ status: "answered", answer: ANSWER_2 });
      // The author gets exactly what the preview showed, once.
      await expect.poll(async () => (await w.sentTo(w.people.member)).length).toBe(authorBefore + 1);
      expect((await w.sentTo(w.people.member)).at(-1)!.text).toBe(previewOf(ANSWER_2).split("\n\n").slice(1).join("\n\n"));
      expect(await answerRows()).toBe(1);
      expect(await w.db.chatFlow.count()).toBe(0);
      // The previews quote the member's item: once sent, only the item holds its text.
      await expect.poll(() => w.db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })).toBe(0);
      expect(await columnsHolding(w.db, TEXT_A)).toEqual(["Feedback.text"]);
      // The dropped draft is nowhere; the answer sent only on the item.
      expect(await columnsHolding(w.db, ANSWER_1)).toEqual([]);
      expect(await columnsHolding(w.db, ANSWER_2)).toEqual(["Feedback.answer"]);
    });

    it("Hủy drops the answer: nothing stored, nothing sent, and the old preview's Gửi does nothing", async () => {
      const items = await seed();
      const x = w.people.reviewerX;
      const preview = await typeAnswer(items, ANSWER_1);
      const [cancelled] = await w.press(x, "rv:cancel");
      expect(cancelled!.text).toBe("Đã hủy việc xử lý phản ánh. Chưa có gì được lưu.");
      expect(await w.db.chatFlow.count()).toBe(0);
      if (channel !== "zalo_bot") {
        // On the Zalo bot the preview's numbers are gone once another message came.
        const [stale] = await w.press(x, buttonsOf(preview)[0]![0]!);
        expect(stale!.text).toBe("Nút này không còn dùng được nữa.");
      }
      expect(await w.db.feedback.findUniqueOrThrow({ where: { id: items.anonA } })).toMatchObject({ status: "submitted", answer: null });
      expect(await answerRows()).toBe(0);
    });

    it("an item answered by someone else while the preview waits: Gửi is refused and the item shown as it is now", async () => {
      const items = await seed();
      const x = w.people.reviewerX;
      await typeAnswer(items, ANSWER_1);
      const province = { memberId: w.people.reviewerProvince.memberId, roles: [{ role: "reviewer", organizationId: w.orgs.province.id }] };
      await w.app.chibo.feedback.act(items.anonA, { kind: "answer", text: "Đã xử lý." }, province, w.clock.now());
      const [refused, now] = await w.press(x, "rv:send", 2);
      expect(refused!.text).toBe("Không thể trả lời góp ý đang ở trạng thái «Đã trả lời».");
      expect(now!.text).toContain("Đã trả lời ngày 03/12/2026:\nĐã xử lý.");
      expect(await w.db.feedback.findUniqueOrThrow({ where: { id: items.anonA } })).toMatchObject({ answer: "Đã xử lý." });
      expect(await answerRows()).toBe(1); // the province's answer only
      expect(await w.db.chatFlow.count()).toBe(0);
    });

    it("a long answer is previewed within one message of the channel, saying when it is shortened", async () => {
      const items = await seed();
      const long = `${"Xã đã họp với các hộ dân và thống nhất lịch thu gom. ".repeat(60)}Hết.`.slice(0, 3000);
      const preview = await typeAnswer(items, long);
      if (channel === "telegram") {
        // Telegram takes 4096 characters: the whole answer shows.
        expect(preview.text).toBe(previewOf(long));
      } else {
        // Zalo takes 2000, with the numbered choices under the text.
        expect(preview.text.length).toBeLessThanOrEqual(1600);
        expect(preview.text).toMatch(/…\n\n\(Bản xem trước đã rút gọn; câu trả lời đầy đủ có 3000 ký tự\.\)$/);
      }
      const [answered] = await w.press(w.people.reviewerX, "rv:send", 2);
      expect(answered!.text).toMatch(/sang «Đã trả lời»/);
      expect((await w.db.feedback.findUniqueOrThrow({ where: { id: items.anonA } })).answer).toBe(long);
    });
  });

  it("who may act: X on cell A yes, X on cell C no, Y on cell C yes, the province on both", async () => {
    const items = await seed();
    // Another commune's item is "not found", as one that does not exist.
    const notFound = (value: string) => `Không tìm thấy phản ánh, góp ý ${value}.`;
    const { reviewerX: x, reviewerY: y, reviewerProvince: d } = w.people;

    await showFirstOnZaloBot(x, "GY-2026-000003");
    const [okX] = await w.press(x, `rv:a:review:${items.anonA}:submitted`, 2);
    expect(okX!.text).toBe("Đã chuyển GY-2026-000003 từ «Đã gửi» sang «Đang xem xét».");

    const [noView] = await w.say(x, "/xem GY-2026-000005");
    expect(noView!.text).toBe(notFound("GY-2026-000005"));
    const [missing] = await w.say(x, "/xem GY-2026-000099");
    expect(missing!.text).toBe(notFound("GY-2026-000099"));
    // X was never shown C's items: a forged button is refused by the core (the Zalo bot cannot even take one).
    for (const payload of [`rv:o:${items.anonC}`, `rv:a:review:${items.anonC}:submitted`, `rv:a:answer:${items.anonC}:submitted`]) {
      const refused = await w.pressUnshown(x, payload);
      if (refused) expect(refused.text).toBe(notFound(`#${items.anonC}`));
    }
    expect(await w.db.chatFlow.count()).toBe(0);
    expect(await statusOf(items.anonC)).toBe("submitted");
    const sentToX = w.texts(await w.sentTo(x)).join("\n");
    expect(sentToX).not.toContain(TEXT_C);

    await showFirstOnZaloBot(y, "GY-2026-000005");
    const [okY] = await w.press(y, `rv:a:review:${items.anonC}:submitted`, 2);
    expect(okY!.text).toBe("Đã chuyển GY-2026-000005 từ «Đã gửi» sang «Đang xem xét».");
    const noYonA = await w.pressUnshown(y, `rv:a:forward:${items.signedB}:submitted`);
    if (noYonA) expect(noYonA.text).toBe(notFound(`#${items.signedB}`));
    expect(await statusOf(items.signedB)).toBe("submitted");

    await showFirstOnZaloBot(d, "GY-2026-000004");
    const [okProvinceA] = await w.press(d, `rv:a:review:${items.signedB}:submitted`, 2);
    expect(okProvinceA!.text).toBe("Đã chuyển GY-2026-000004 từ «Đã gửi» sang «Đang xem xét».");
    await showFirstOnZaloBot(d, "GY-2026-000005");
    await w.press(d, `rv:a:reject:${items.anonC}:under_review`);
    const [okProvinceC] = await w.say(d, "Trùng với góp ý đã trả lời.", 2);
    expect(okProvinceC!.text).toBe("Đã chuyển GY-2026-000005 từ «Đang xem xét» sang «Không tiếp nhận».");

    // A plain member pressing a reviewer's button is refused by the core.
    const member = await w.pressUnshown(w.people.member, `rv:o:${items.anonA}`);
    if (member) expect(member.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    const [memberXem] = await w.say(w.people.member, "/xem GY-2026-000003");
    expect(memberXem!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
  });

  it("a button from a view someone else has moved on shows the item as it is now", async () => {
    const items = await seed();
    const x = w.people.reviewerX;
    const [view] = await w.say(x, "/xem GY-2026-000003");
    const answerButton = buttonsOf(view)[1]![0]!;
    const reviewButton = buttonsOf(view)[0]![0]!;
    await showFirstOnZaloBot(w.people.reviewerProvince, "GY-2026-000003");
    await w.press(w.people.reviewerProvince, `rv:a:forward:${items.anonA}:submitted`);
    await w.say(w.people.reviewerProvince, "Sở Nông nghiệp và Môi trường", 2);

    const [stale, current] = await w.press(x, reviewButton, 2);
    expect(stale!.text).toBe("Góp ý vừa được người khác xử lý, hiện ở trạng thái «Đã chuyển cơ quan». Hãy xem lại trước khi làm tiếp.");
    expect(current!.text).toContain("Trạng thái: Đã chuyển cơ quan\n");
    expect(current!.text).toContain("(đồng chí Lý Văn Chín): Sở Nông nghiệp và Môi trường");
    expect(labelsOf(current)).toEqual([["Trả lời"], ["Xem lại"]]);
    // Answering from the old view is stale too: nothing is asked. On the Zalo bot the old view's
    // numbers are gone: the current view's choices replaced them.
    if (channel === "zalo_bot") {
      expect(buttonsOf(current)).not.toContainEqual([answerButton]);
    } else {
      const [stale2] = await w.press(x, answerButton, 2);
      expect(stale2!.text).toMatch(/^Góp ý vừa được người khác xử lý/);
    }
    expect(await w.db.chatFlow.count()).toBe(0);

    // An answer typed while someone else closes the matter is refused by the rule, with the view.
    await w.press(x, `rv:a:answer:${items.anonA}:forwarded`);
    await w.app.chibo.feedback.act(items.anonA, { kind: "answer", text: "Đã xử lý." }, { memberId: w.people.reviewerProvince.memberId, roles: [{ role: "reviewer", organizationId: w.orgs.province.id }] }, w.clock.now());
    const [refused, now] = await w.say(x, "Xã sẽ xử lý trong tuần.", 2);
    expect(refused!.text).toBe("Không thể trả lời góp ý đang ở trạng thái «Đã trả lời».");
    expect(now!.text).toContain("Đã trả lời ngày 03/12/2026:\nĐã xử lý.");
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  it("/xem looks in the reviewer's own province: another province's items share the numbers and stay out of sight", async () => {
    // Another province numbers its own items; its reviewer is person 750.
    const { organizations } = w.services;
    const hungYen = await organizations.add({ level: "province", name: "Tỉnh ủy Hưng Yên", code: "hung-yen" });
    await organizations.add({ level: "base", name: "Đảng ủy xã Phù Ủng", code: "phu-ung", parentCode: "hung-yen" });
    const thuong = await organizations.add({ level: "cell", name: "Chi bộ thôn Thượng", code: "thuong", parentCode: "phu-ung", cellKind: "village" });
    const author = await w.db.member.create({ data: { fullName: "Phạm Thị Hưng", searchName: "pham thi hung", status: "full", cellId: thuong.id } });
    const reviewer = await w.db.member.create({ data: { fullName: "Lưu Văn Yên", searchName: "luu van yen", status: "full", cellId: thuong.id } });
    await w.db.role.create({ data: { memberId: reviewer.id, organizationId: hungYen.id, role: "reviewer" } });
    await w.driver.link(reviewer.id, 750);
    const reviewerHungYen: Person = { id: w.driver.chatOf(750), n: 750, memberId: reviewer.id };
    const submit = (authorId: number, text: string) =>
      w.app.chibo.feedback.submit({ authorId, anonymous: true, addressee: "party_committee", category: "other", text, now: new Date(NOW) });
    const THEIRS_1 = "Cống thoát nước thôn Thượng bị tắc.";
    const THEIRS_2 = "Đèn đường thôn Thượng hỏng đã hai tháng.";
    // Theirs first: a lookup by the reference alone would find their item.
    expect((await submit(author.id, THEIRS_1)).reference).toBe("GY-2026-000001");
    expect((await submit(w.people.member.memberId, TEXT_A)).reference).toBe("GY-2026-000001");
    expect((await submit(author.id, THEIRS_2)).reference).toBe("GY-2026-000002");

    const x = w.people.reviewerX;
    const [ours] = await w.say(x, "/xem GY-2026-000001");
    expect(ours!.text).toMatch(/^Phản ánh, góp ý GY-2026-000001\n/);
    expect(ours!.text).toContain(`Chi bộ: Chi bộ thôn Đông\n`);
    expect(ours!.text).toContain(TEXT_A);
    const [theirs] = await w.say(reviewerHungYen, "/xem GY-2026-000001");
    expect(theirs!.text).toContain(THEIRS_1);
    expect(theirs!.text).not.toContain(TEXT_A);

    // A number only the other province has is "not found", word for word as one nobody has.
    const [onlyTheirs] = await w.say(x, "/xem GY-2026-000002");
    const [nobodys] = await w.say(x, "/xem GY-2026-000003");
    expect(onlyTheirs!.text).toBe("Không tìm thấy phản ánh, góp ý GY-2026-000002.");
    expect(nobodys!.text).toBe("Không tìm thấy phản ánh, góp ý GY-2026-000003.");
    const sentToX = w.texts(await w.sentTo(x)).join("\n");
    for (const text of [THEIRS_1, THEIRS_2, "Hưng Yên", "Chi bộ thôn Thượng"]) expect(sentToX).not.toContain(text);

    // Someone who reviews in both provinces picks which of the two they meant.
    const both = w.people.reviewerProvince;
    await w.db.role.create({ data: { memberId: both.memberId, organizationId: hungYen.id, role: "reviewer" } });
    const [choose] = await w.say(both, "/xem GY-2026-000001");
    expect(choose!.text).toBe("Số tham chiếu GY-2026-000001 có ở 2 tổ chức đồng chí xem xét. Đồng chí muốn xem góp ý của tổ chức nào?");
    expect(labelsOf(choose)).toEqual([["GY-2026-000001 — Tỉnh ủy Hưng Yên"], ["GY-2026-000001 — Thành ủy Hải Phòng"]]);
    const [picked] = await w.press(both, buttonsOf(choose)[1]![0]!);
    expect(picked!.text).toContain(TEXT_A);
  });

  it("unknown or malformed references, and /xem alone", async () => {
    await seed();
    const x = w.people.reviewerX;
    const [unknown] = await w.say(x, "/xem GY-2026-000099");
    expect(unknown!.text).toBe("Không tìm thấy phản ánh, góp ý GY-2026-000099.");
    const [malformed] = await w.say(x, "/xem bãi rác");
    expect(malformed!.text).toBe("«bãi rác» không phải số tham chiếu. Số tham chiếu có dạng GY-2026-000001.");
    const [usage] = await w.say(x, "/xem");
    expect(usage!.text).toBe("Đồng chí gửi /xem kèm số tham chiếu, ví dụ: /xem GY-2026-000001.");
    const badButton = await w.pressUnshown(x, "rv:o:999999");
    if (badButton) expect(badButton.text).toBe("Không tìm thấy phản ánh, góp ý #999999.");
    const garbage = await w.pressUnshown(x, "rv:zz");
    if (garbage) expect(garbage.text).toBe("Nút này không còn dùng được nữa.");
  });

  it("a command in the middle of the flow answers and reminds; the flow goes on; a /gopy draft is never overwritten", async () => {
    const items = await seed();
    const x = w.people.reviewerX;
    await showFirstOnZaloBot(x, "GY-2026-000003");
    await w.press(x, `rv:a:answer:${items.anonA}:submitted`);
    const [digest, file, reminder] = await w.say(x, "/tonghop", 3);
    expect(digest!.text).toMatch(/^Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ/);
    expect(file!.text).toBe("Tệp Excel tổng hợp: gop-y-ha-ky-2026-11-30.xlsx");
    expect(reminder!.text).toBe("Đồng chí vẫn đang xử lý phản ánh dở. Trả lời tiếp câu hỏi trước đó, hoặc gửi /huy để hủy.");
    const [preview] = await w.say(x, "Đã có kế hoạch thu gom.");
    expect(preview!.text).toMatch(/^Xem trước câu trả lời GY-2026-000003\./);
    const [answered] = await w.press(x, "rv:send", 2);
    expect(answered!.text).toMatch(/^Đã chuyển GY-2026-000003 từ «Đã gửi» sang «Đã trả lời»\./);

    // A reviewer halfway through their own /gopy keeps the draft.
    await w.say(x, "/gopy", 2);
    const busyText = "Đồng chí vẫn đang gửi phản ánh, góp ý dở. Trả lời tiếp câu hỏi trước đó, hoặc gửi /huy để hủy.";
    if (channel === "zalo_bot") {
      // Only the flow's choices can be answered there; opening an item is a command mid-flow.
      const [view, busy] = await w.say(x, "/xem GY-2026-000004", 2);
      expect(view!.text).toMatch(/^Phản ánh, góp ý GY-2026-000004\n/);
      expect(busy!.text).toBe(busyText);
    } else {
      const [busy] = await w.press(x, `rv:a:reject:${items.signedB}:submitted`);
      expect(busy!.text).toBe(busyText);
    }
    expect((await w.db.chatFlow.findFirstOrThrow()).feature).toBe("feedback");
  });

  it("a long text is cut to fit one message of the channel, saying where the full text is", async () => {
    const long = `${"Đoạn đường liên thôn xuống cấp nghiêm trọng. ".repeat(66)}Hết.`.slice(0, 3000);
    const { id } = await w.app.chibo.feedback.submit({ authorId: w.people.memberB.memberId, anonymous: false, addressee: "peoples_committee", category: "economy", text: long, now: new Date(NOW) });
    await w.app.chibo.feedback.act(id, { kind: "answer", text: "x".repeat(3000) }, { memberId: w.people.reviewerX.memberId, roles: [{ role: "reviewer", organizationId: w.orgs.communeX.id }] }, new Date(NOW));
    await showFirstOnZaloBot(w.people.reviewerX, "GY-2026-000001");
    const [view] = await w.press(w.people.reviewerX, `rv:o:${id}`);
    // Telegram takes 4096 characters, Zalo 2000 with the numbered choices under the text.
    expect([...view!.text].length).toBeLessThanOrEqual(channel === "telegram" ? 4000 : 1600);
    expect(view!.text).toContain("… (nội dung dài; bản đầy đủ có trong tệp Excel của /tonghop)");
    expect(view!.text).toContain("Quá trình xử lý:");
  });

  it("speaks English to a reviewer who chose it", async () => {
    const items = await seed();
    await w.db.member.update({ where: { id: w.people.reviewerX.memberId }, data: { language: "en" } });
    const [view] = await w.say(w.people.reviewerX, "/xem GY-2026-000004");
    expect(view!.text.split("\n").slice(0, 8)).toEqual([
      "Feedback GY-2026-000004",
      "Submitted: 02/12/2026 09:00",
      "Cell: Chi bộ thôn Tây",
      "To: Agency or mass organization: Phòng Văn hóa – Xã hội xã",
      "Category: Health and education",
      "Status: Submitted",
      "Answer due: 16/12/2026",
      "From: comrade Vũ Thị Năm, Chi bộ thôn Tây",
    ]);
    expect(labelsOf(view)).toEqual([["Mark under review", "Forward to an agency"], ["Answer", "Reject"], ["Refresh"]]);
    const [digest, file] = await w.say(w.people.reviewerX, "/tonghop", 2);
    expect(digest!.text.split("\n").slice(0, 4)).toEqual(["Feedback digest — Đảng ủy xã Hà Kỳ", "This week, 30/11/2026 to 06/12/2026", "", "Received in the period: 2"]);
    expect(buttonsOf(digest)[0]).toEqual([`rv:o:${items.signedB}`, `rv:o:${items.anonA}`]);
    expect(labelsOf(digest).at(-1)).toEqual(["Last week", "This month"]);
    expect(file!.text).toBe("The digest as an Excel file: gop-y-ha-ky-2026-11-30.xlsx");
    const [lastWeek] = await w.press(w.people.reviewerX, `th:lastweek:${w.orgs.communeX.id}`);
    expect(lastWeek!.text.split("\n").slice(0, 2)).toEqual(["Feedback digest — Đảng ủy xã Hà Kỳ", "Last week, 23/11/2026 to 29/11/2026"]);
  });
});
});
