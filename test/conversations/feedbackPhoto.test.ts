import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_PHOTO_BYTES } from "../../src/domain/photo.ts";
import { DEFAULT_RETENTION_DAYS, purgeExpired } from "../../src/services/retention.ts";
import { buttonsOf, forEachChannel, startConversationWorld, type Channel, type ConversationWorld, type Person } from "./harness.ts";

/**
 * A photo sent with /gopy is fetched from the platform at once and kept by chibo, next to the
 * database; the reviewer's /xem shows it after the item on every channel, and it goes when
 * nothing refers to it any more.
 */
const PUBLIC_URL = "https://chibo.example.vn";
/** A JPEG as far as anyone checks (its first bytes), with random bytes so every test's photo is its own. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(3000)]);
const DAY_MS = 86_400_000;

let w: ConversationWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

/** The world for a channel; the Zalo bot shows a photo only by a link, so it gets a public URL. */
async function world(channel: Channel, env: Record<string, string> = channel === "zalo_bot" ? { PUBLIC_URL } : {}) {
  w = await startConversationWorld(channel, { env });
  return w;
}

/** /gopy up to the text question. */
async function upToText(w: ConversationWorld, m: Person) {
  await w.say(m, "/gopy", 2);
  await w.press(m, "gy:to:peoples_committee");
  await w.press(m, "gy:cat:land");
}

const photoFolder = (w: ConversationWorld) => path.join(w.app.database.dir, "photos");

forEachChannel("a photo sent with feedback", (channel) => {
  it("is kept by chibo, and the reviewer's /xem shows it after the item", async () => {
    const w = await world(channel);
    const m = w.people.member;
    const photo = jpeg();
    await upToText(w, m);
    const [anonymity] = await w.sendPhoto(m, { bytes: photo, caption: "Mương thoát nước thôn Đông bị lấp" });
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");

    const item = await w.db.feedback.findFirstOrThrow();
    const sha256 = crypto.createHash("sha256").update(photo).digest("hex");
    expect(item.photoRef).toBe(`photo:${sha256}.jpg`);
    const file = path.join(photoFolder(w), `${sha256}.jpg`);
    expect(fs.readFileSync(file).equals(photo)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(photoFolder(w)).mode & 0o777).toBe(0o700);

    const [view, shown] = await w.say(w.people.reviewerX, "/xem GY-2026-000001", 2);
    expect(view!.text).toContain("Kèm 1 ảnh");
    expect(shown!.text).toBe("Ảnh kèm GY-2026-000001");
    expect(shown!.photo?.bytes.equals(photo)).toBe(true);
    if (channel === "zalo_bot") {
      // Zalo fetches the photo from chibo's public address, at a signed link that expires.
      expect(shown!.photo?.url).toMatch(new RegExp(`^${PUBLIC_URL}/photos/${sha256}\\.jpg\\?exp=\\d+&sig=[A-Za-z0-9_-]+$`));
    }
    if (channel === "zalo_oa") {
      // Uploaded to Zalo first: no link to chibo's server leaves it.
      expect(shown!.photo?.url).toBeUndefined();
    }
    // The item's actions stay answerable after the photo (the numbered choices are not ended by it).
    const [reviewing] = await w.press(w.people.reviewerX, buttonsOf(view).flat().find((p) => p.startsWith("rv:a:review:"))!, 2);
    expect(reviewing!.text).toMatch(/^Đã chuyển GY-2026-000001 từ «Đã gửi» sang «Đang xem xét»/);
  });

  it("refuses a file that is no photo with a clear message, keeps the words, and can go on without a photo", async () => {
    const w = await world(channel);
    const m = w.people.member;
    await upToText(w, m);
    const [refused, again] = await w.sendPhoto(m, { bytes: Buffer.from("%PDF-1.7 not a photo"), caption: "Cống thôn Đông vỡ" }, 2);
    expect(refused!.text).toBe("Tệp gửi lên không phải ảnh (JPEG, PNG hoặc WebP) nên chibo không nhận.");
    expect(again!.text).toBe("Nội dung đồng chí viết vẫn được giữ. Đồng chí gửi ảnh khác, hoặc bấm «Gửi không kèm ảnh» để tiếp tục.");
    expect(buttonsOf(again)).toEqual([["gy:nophoto"], ["gy:cancel"]]);
    expect(JSON.parse((await w.db.chatFlow.findFirstOrThrow()).data)).toMatchObject({ text: "Cống thôn Đông vỡ" });

    const [anonymity] = await w.press(m, "gy:nophoto");
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    const [confirm] = await w.press(m, "gy:anon:0");
    expect(confirm!.text).not.toContain("Kèm 1 ảnh");
    await w.press(m, "gy:send");
    expect(await w.db.feedback.findFirstOrThrow()).toMatchObject({ text: "Cống thôn Đông vỡ", photoRef: null });
    expect(fs.existsSync(photoFolder(w)) ? fs.readdirSync(photoFolder(w)) : []).toEqual([]);
  });

  it("refuses a photo over the size limit, and a second photo within it is taken", async () => {
    const w = await world(channel);
    const m = w.people.member;
    await upToText(w, m);
    const tooLarge = Buffer.concat([jpeg(), Buffer.alloc(MAX_PHOTO_BYTES)]);
    const [refused] = await w.sendPhoto(m, { bytes: tooLarge, caption: "Đường sạt lở" }, 2);
    expect(refused!.text).toBe("Ảnh lớn quá 10 MB nên chibo không nhận. Đồng chí gửi ảnh nhỏ hơn (ảnh chụp bằng điện thoại thường chỉ vài MB).");
    const [anonymity] = await w.sendPhoto(m, { bytes: jpeg() });
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    expect(await w.db.feedback.findFirstOrThrow()).toMatchObject({ text: "Đường sạt lở", photoRef: expect.stringMatching(/^photo:/) });
  });
});

describe("a photo the platform could not give at first", () => {
  it("is stored by the platform's reference, fetched when a reviewer opens the item, and shown", async () => {
    const w = await world("telegram");
    const m = w.people.member;
    const photo = jpeg();
    await upToText(w, m);
    // Telegram does not know the file yet (as when its file server does not answer): the draft keeps the file id.
    await w.sendPhoto(m, { ref: "file-not-yet", caption: "Đèn đường thôn Đông hỏng" });
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    expect((await w.db.feedback.findFirstOrThrow()).photoRef).toBe("telegram:file-not-yet");

    w.telegram.addFile("file-not-yet", photo);
    const [, shown] = await w.say(w.people.reviewerX, "/xem GY-2026-000001", 2);
    expect(shown!.photo?.bytes.equals(photo)).toBe(true);
    expect((await w.db.feedback.findFirstOrThrow()).photoRef).toMatch(/^photo:[0-9a-f]{64}\.jpg$/);
  });

  it("is fetched by the nightly pass once the platform gives it", async () => {
    const w = await world("telegram");
    const m = w.people.member;
    const photo = jpeg();
    await upToText(w, m);
    await w.sendPhoto(m, { ref: "file-later", caption: "Đèn đường thôn Đông hỏng" });
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    const photos = w.app.chibo.feedback.photos!;
    expect(await photos.sweep(w.clock.now())).toEqual({ fetched: 0, deleted: 0 });
    w.telegram.addFile("file-later", photo);
    expect(await photos.sweep(w.clock.now())).toEqual({ fetched: 1, deleted: 0 });
    const sha256 = crypto.createHash("sha256").update(photo).digest("hex");
    expect((await w.db.feedback.findFirstOrThrow()).photoRef).toBe(`photo:${sha256}.jpg`);
  });

  it("is said to be on its way while the platform still does not give it", async () => {
    const w = await world("telegram");
    const m = w.people.member;
    await upToText(w, m);
    await w.sendPhoto(m, { ref: "file-never", caption: "Đèn đường thôn Đông hỏng" });
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    const [view, note] = await w.say(w.people.reviewerX, "/xem GY-2026-000001", 2);
    expect(view!.text).toContain("Kèm 1 ảnh");
    expect(note!.text).toMatch(/^Ảnh kèm GY-2026-000001 chưa tải được về chibo/);
    expect(note!.photo).toBeUndefined();
  });
});

describe("without a public URL", () => {
  it("the Zalo bot says where the photo can be seen instead of sending it", async () => {
    const w = await world("zalo_bot", {});
    const m = w.people.member;
    await upToText(w, m);
    await w.sendPhoto(m, { bytes: jpeg(), caption: "Cầu tạm thôn Đông yếu" });
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    const [, shown] = await w.say(w.people.reviewerX, "/xem GY-2026-000001", 2);
    expect(shown!.photo).toBeUndefined();
    expect(shown!.text).toBe("Ảnh kèm GY-2026-000001");
    expect(shown!.note).toBe("Ảnh kèm chưa xem được qua Zalo: chibo chưa có địa chỉ công khai (PUBLIC_URL) để Zalo tải ảnh. Đồng chí xem ảnh bằng /xem trên Telegram, hoặc báo người quản trị chibo.");
  });
});

describe("the kept photo and retention", () => {
  it("stays with its item, also once its author is erased, and is deleted once the item is", async () => {
    const w = await world("telegram");
    const m = w.people.member;
    await upToText(w, m);
    await w.sendPhoto(m, { bytes: jpeg(), caption: "Rác thải bờ sông" });
    await w.press(m, "gy:anon:0");
    await w.press(m, "gy:send");
    // A second draft's photo, then cancelled: nothing refers to it once the draft is gone.
    await upToText(w, m);
    await w.sendPhoto(m, { bytes: jpeg() });
    await w.say(m, "/huy");
    const item = await w.db.feedback.findFirstOrThrow();
    const kept = path.join(photoFolder(w), item.photoRef!.slice("photo:".length));
    expect(fs.readdirSync(photoFolder(w))).toHaveLength(2);
    const photos = w.app.chibo.feedback.photos!;

    // The night's purge, days later: the cancelled draft's photo goes, the item's stays.
    const later = new Date(w.clock.now().getTime() + 3 * DAY_MS);
    expect(await purgeExpired(w.db, later, DEFAULT_RETENTION_DAYS, photos)).toMatchObject({ photos: 1 });
    expect(fs.readdirSync(photoFolder(w))).toEqual([path.basename(kept)]);

    // Erasing the author leaves the item, anonymous, with its photo.
    const member = await w.db.member.findUniqueOrThrow({ where: { id: m.memberId } });
    const { eraseMember } = await import("../../src/services/memberErase.ts");
    await eraseMember(w.db, member, later, { kind: "cli" });
    expect(await purgeExpired(w.db, later, DEFAULT_RETENTION_DAYS, photos)).toMatchObject({ photos: 0 });
    expect(fs.existsSync(kept)).toBe(true);

    // The item deleted (as a purge of feedback would): its photo goes at the next pass.
    await w.db.feedbackEvent.deleteMany({ where: { feedbackId: item.id } });
    await w.db.feedback.delete({ where: { id: item.id } });
    expect(await purgeExpired(w.db, later, DEFAULT_RETENTION_DAYS, photos)).toMatchObject({ photos: 1 });
    expect(fs.existsSync(kept)).toBe(false);
  });
});
