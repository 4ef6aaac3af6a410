import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoFolderOf } from "../../src/photos.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { webChatId } from "../../src/services/webChat.ts";
import { createPhotoFolder } from "../../src/storage/photoFolder.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { launchBrowser, overflowsPhone, signIn, snap } from "../helpers/consoleBrowser.ts";
import { tempDir } from "../helpers/db.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let reviewer: DemoMember;
let author: DemoMember;
let anonymousAuthor: DemoMember;
let items: { road: { id: number; reference: string }; school: { id: number; reference: string }; light: { id: number; reference: string } };
let otherItemId: number;

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  reviewer = demo.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!;
  author = demoSecretary(demo, "demo-thon-tay");
  anonymousAuthor = demoSecretary(demo, "demo-truong-th");
  const { db } = app.chibo.services;
  // The author reads chibo in the web chat: the answer is queued there.
  await db.chatIdentity.create({ data: { memberId: author.id, channel: "web", externalUserId: webChatId(author.id), chatId: webChatId(author.id), reachable: true } });
  const now = new Date();
  const photoRef = await createPhotoFolder(photoFolderOf(app.database.url)).save(PNG, now);
  const submit = (memberId: number, change: Record<string, unknown>) =>
    app.chibo.feedback.submit({ authorId: memberId, anonymous: false, addressee: "peoples_committee", category: "land", now, ...change, text: String(change.text) });
  items = {
    road: await submit(author.id, { text: "Đường liên thôn Tây bị sạt lở sau mưa, đề nghị xã sớm sửa.", photoRef }),
    school: await submit(anonymousAuthor.id, { anonymous: true, category: "health_education", text: "Trường thiếu bàn ghế cho học sinh lớp 1." }),
    light: await submit(author.id, { category: "security", text: "Đèn đường ngõ 3 hỏng đã lâu." }),
  };
  const { organizations } = app.chibo.services;
  await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "khac-xa", parentCode: "demo-tinh" });
  const cell = await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "khac-thon-bac", parentCode: "khac-xa" });
  const stranger = await db.member.create({ data: { fullName: "Đỗ Văn Khác", searchName: "do van khac", phone: "0909111222", status: "full", cellId: cell.id } });
  otherItemId = (await submit(stranger.id, { text: "Góp ý của xã khác." })).id;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the feedback queue in a real browser", () => {
  it("filters, opens an item, notes, assigns, answers from a template with a preview, rejects, exports", async () => {
    const { page, problems, close } = await signIn(browser, app.chibo, app.baseUrl, reviewer.id);
    // The page signing in lands on is the overview's, checked by its own test.
    problems.length = 0;
    page.on("dialog", (dialog) => void dialog.accept());

    // The queue: every item of the commune, the anonymous one naming nobody.
    await page.goto(`${app.baseUrl}/console/feedback`);
    await page.getByRole("heading", { name: "Phản ánh, góp ý" }).waitFor();
    const rows = page.locator("table.feedback-queue tbody tr");
    expect(await rows.count()).toBe(3);
    const schoolRow = rows.filter({ hasText: items.school.reference });
    expect(await schoolRow.locator("td").last().textContent()).toBe("Ẩn danh");
    expect(await page.content()).not.toContain(anonymousAuthor.fullName);
    expect(await rows.filter({ hasText: items.road.reference }).locator("td").last().textContent()).toBe(author.fullName);
    await snap(page, "feedback-queue");
    expect(await overflowsPhone(page)).toBe(false);

    // Filters come back as an address; the search's words never do.
    await page.getByLabel("Lĩnh vực").selectOption("health_education");
    await page.getByRole("button", { name: "Lọc, tìm" }).click();
    await page.waitForURL(/category=health_education/);
    expect(await rows.count()).toBe(1);
    await page.getByRole("link", { name: "Bỏ lọc" }).click();
    await page.getByLabel("Tìm theo số hoặc nội dung").fill("sạt lở");
    await page.getByRole("button", { name: "Lọc, tìm" }).click();
    await page.waitForURL(/\/console\/feedback\/search$/);
    expect(await rows.count()).toBe(1);

    // One item: its text, its photo, its history; a note and an assignment.
    await page.getByRole("link", { name: items.road.reference }).click();
    await page.getByRole("heading", { name: `Góp ý ${items.road.reference}` }).waitFor();
    expect(await page.locator(".feedback-text").first().textContent()).toContain("sạt lở sau mưa");
    const photo = page.getByRole("img", { name: `Ảnh gửi kèm góp ý ${items.road.reference}` });
    await photo.waitFor();
    expect(await photo.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBe(1);
    await page.getByLabel("Ghi chú mới").fill("Đã gọi trưởng thôn Tây, chờ khảo sát.");
    await page.getByRole("button", { name: "Thêm ghi chú" }).click();
    await page.getByText("Đã thêm ghi chú.").waitFor();
    expect(await page.locator(".feedback-notes").textContent()).toContain("Đã gọi trưởng thôn Tây, chờ khảo sát.");
    await page.getByLabel("Giao cho").selectOption({ label: reviewer.fullName });
    await page.getByRole("button", { name: "Giao việc" }).click();
    await page.getByText(`Đang giao cho đồng chí ${reviewer.fullName}.`).waitFor();
    await snap(page, "feedback-item");
    expect(await overflowsPhone(page)).toBe(false);

    // A template for the commune, kept on its own page.
    await page.goto(`${app.baseUrl}/console/feedback/templates`);
    await page.getByLabel("Tên mẫu").fill("Đã giao UBND xã");
    await page.getByLabel("Nội dung trả lời").fill("UBND xã đã giao cán bộ địa chính kiểm tra và sẽ sửa trong tháng này.");
    await page.getByRole("button", { name: "Thêm mẫu" }).click();
    await page.getByText("Đã thêm mẫu trả lời.").waitFor();
    expect(await page.locator("table.feedback-templates tbody tr").count()).toBe(1);
    await snap(page, "feedback-templates");
    expect(await overflowsPhone(page)).toBe(false);

    // The answer starts from it, is seen as the author will get it, edited, and sent.
    await page.goto(`${app.baseUrl}/console/feedback/${items.road.id}`);
    await page.getByLabel("Bắt đầu từ mẫu trả lời").selectOption({ label: "Đã giao UBND xã — Đảng ủy xã Hòa Bình" });
    await page.getByRole("button", { name: "Dùng mẫu này" }).click();
    const answerBox = page.getByLabel("Câu trả lời", { exact: true });
    expect(await answerBox.inputValue()).toBe("UBND xã đã giao cán bộ địa chính kiểm tra và sẽ sửa trong tháng này.");
    await page.getByRole("button", { name: "Xem trước" }).click();
    await page.getByRole("heading", { name: `Xem trước câu trả lời ${items.road.reference}` }).waitFor();
    await page.getByRole("button", { name: "Sửa" }).click();
    // Two paragraphs: the line break travels through the preview to the message.
    await answerBox.fill("UBND xã đã giao cán bộ địa chính kiểm tra.\n\nĐường sẽ được sửa trước ngày 30.");
    await page.getByRole("button", { name: "Xem trước" }).click();
    const message = page.locator(".feedback-message");
    expect(await message.textContent()).toContain("UBND xã đã giao cán bộ địa chính kiểm tra.\n\nĐường sẽ được sửa trước ngày 30.");
    const shown = await message.textContent();
    await snap(page, "feedback-preview");
    expect(await overflowsPhone(page)).toBe(false);
    await page.getByRole("button", { name: "Gửi", exact: true }).click();
    await page.getByText("Đã gửi câu trả lời.").waitFor();
    const queued = await app.chibo.services.db.outboxMessage.findFirstOrThrow({
      where: { memberId: author.id, dedupeKey: { startsWith: `feedback-answer:${items.road.id}:` } },
    });
    expect(queued).toMatchObject({ channel: "web", chatId: webChatId(author.id) });
    expect(queued.text).toBe(shown);
    expect(queued.text).toContain("kiểm tra.\n\nĐường");

    // A rejection needs its reason, and gets it.
    await page.goto(`${app.baseUrl}/console/feedback/${items.light.id}`);
    await page.getByRole("button", { name: "Không tiếp nhận" }).click();
    await page.getByText("Cần nêu lý do không tiếp nhận.").waitFor();
    await page.getByLabel("Lý do không tiếp nhận").fill("Đèn đường do công ty điện lực quản lý.");
    await page.getByRole("button", { name: "Không tiếp nhận" }).click();
    await page.getByText("Đã ghi nhận không tiếp nhận góp ý.").waitFor();
    expect((await app.chibo.services.db.feedback.findUniqueOrThrow({ where: { id: items.light.id } })).status).toBe("rejected");

    // The list downloads as a workbook naming nobody for the anonymous item.
    await page.goto(`${app.baseUrl}/console/feedback?sort=oldest`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải danh sách này về máy (Excel)" }).click()]);
    const file = path.join(tempDir(), "queue.xlsx");
    await download.saveAs(file);
    const { default: Excel } = await import("exceljs");
    const book = new Excel.Workbook();
    await book.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getColumn(1).values.slice(2)).toEqual([items.road.reference, items.school.reference, items.light.reference]);
    expect(sheet.getRow(3).getCell(4).value).toBe("Ẩn danh");
    expect(JSON.stringify(sheet.getSheetValues())).not.toContain(anonymousAuthor.fullName);
    expect(await app.chibo.services.db.auditLog.count({ where: { action: "export", actorKind: "console", actorId: reviewer.id } })).toBe(1);

    // Another commune's item is not found, and a form without its token is refused.
    const stranger = await page.goto(`${app.baseUrl}/console/feedback/${otherItemId}`);
    expect(stranger?.status()).toBe(404);
    await page.goto(`${app.baseUrl}/console/feedback/${items.school.id}`);
    await page.locator('#notes input[name="_csrf"]').evaluate((input) => input.remove());
    await page.getByLabel("Ghi chú mới").fill("Không có mã");
    await page.getByRole("button", { name: "Thêm ghi chú" }).click();
    await page.getByRole("heading", { name: "Không thực hiện" }).waitFor();
    expect(await app.chibo.services.db.feedbackNote.count({ where: { feedbackId: items.school.id } })).toBe(0);

    // The refusals above (a reason missing, a stranger's item, a form without its token) log their
    // status as console errors; nothing else may have.
    expect(problems.filter((p) => !/status of (400|403|404) /.test(p))).toEqual([]);
    await close();
  });
});
