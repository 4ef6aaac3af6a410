import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";

/**
 * The web chat's photos, driven through its API as the page does: a member uploads one with
 * /gopy, the reviewer opens the item and the page shows the photo from the message that carried it.
 */
const NOW = "2026-12-03T03:00:00Z";
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(5000)]);
const CAPTION = "Ống nước sinh hoạt thôn Đông bị vỡ";

interface BotMessage {
  id: number;
  text: string;
  buttons?: { label: string; payload: string }[][];
  attachment?: { fileName: string; mimeType: string; base64: string; photoRef?: string };
}

let app: LocalChibo;
let member: { id: number };
let reviewer: { id: number };
const cursors = new Map<number, number>();

async function api(method: "GET" | "POST", path: string, body?: unknown) {
  const res = await fetch(`${app.baseUrl}/chat/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The next `count` messages to the person's chat, long-polling as the page does. */
async function inbox(personId: number, count = 1): Promise<BotMessage[]> {
  const got: BotMessage[] = [];
  const deadline = Date.now() + 10_000;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`${got.length} of ${count} messages within 10 s`);
    const { json } = await api("GET", `/messages?memberId=${personId}&after=${cursors.get(personId) ?? 0}&wait=5`);
    got.push(...(json.messages as BotMessage[]));
    cursors.set(personId, json.cursor as number);
  }
  return got;
}

async function say(personId: number, text: string, count = 1) {
  expect((await api("POST", "/send", { memberId: personId, text })).status).toBe(202);
  return inbox(personId, count);
}

async function press(personId: number, payload: string, count = 1) {
  expect((await api("POST", "/send", { memberId: personId, button: { payload, label: payload } })).status).toBe(202);
  return inbox(personId, count);
}

beforeAll(async () => {
  app = await startChiboLocal({}, { clock: runningClock(NOW) });
  const { db, services } = app.chibo;
  await services.demo.load(new Date(NOW), { kind: "cli" });
  reviewer = { id: (await db.role.findFirstOrThrow({ where: { role: "reviewer", organization: { code: "demo-xa" } } })).memberId };
  member = await db.member.findFirstOrThrow({ where: { cell: { code: "demo-thon-dong" }, exemption: "none", roles: { every: { role: "member" } } }, orderBy: { id: "asc" }, select: { id: true } });
  for (const person of [member, reviewer]) {
    const { json } = await api("POST", "/pick", { memberId: person.id });
    cursors.set(person.id, json.cursor as number);
  }
});
afterAll(() => app.stop());

describe("photos in the web chat", () => {
  it("refuses what is not a photo with a sentence the page shows, and stores nothing", async () => {
    await say(member.id, "/gopy", 2);
    await press(member.id, "gy:to:peoples_committee");
    await press(member.id, "gy:cat:land");
    const pending = await app.chibo.db.inboundUpdate.count();
    const notPhoto = await api("POST", "/photo", { memberId: member.id, photo: Buffer.from("just text").toString("base64"), text: CAPTION });
    expect(notPhoto).toMatchObject({ status: 400, json: { error: "feedback:photoNotImage", message: "Tệp gửi lên không phải ảnh (JPEG, PNG hoặc WebP) nên chibo không nhận." } });
    const tooLarge = await api("POST", "/photo", { memberId: member.id, photo: Buffer.concat([PHOTO, Buffer.alloc(10 * 1024 * 1024)]).toString("base64") });
    expect(tooLarge).toMatchObject({ status: 400, json: { error: "feedback:photoTooLarge" } });
    expect(tooLarge.json.message).toMatch(/^Ảnh lớn quá 10 MB/);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(pending);
  });

  it("takes a photo with its caption into /gopy, and shows it to the reviewer after the item", async () => {
    const upload = await api("POST", "/photo", { memberId: member.id, clientId: "photo-upload-1", photo: PHOTO.toString("base64"), text: CAPTION });
    expect(upload.status).toBe(202);
    const [anonymity] = await inbox(member.id);
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    await press(member.id, "gy:anon:1");
    await press(member.id, "gy:send");
    const item = await app.chibo.db.feedback.findFirstOrThrow();
    expect(item).toMatchObject({ text: CAPTION, photoRef: `photo:${crypto.createHash("sha256").update(PHOTO).digest("hex")}.jpg` });

    // The page's own line for it, on reload: a photo with its caption.
    const { json } = await api("POST", "/pick", { memberId: member.id });
    expect(json.history).toContainEqual(expect.objectContaining({ from: "me", text: CAPTION, photo: true }));

    const [view, shown] = await say(reviewer.id, `/xem ${item.reference}`, 2);
    expect(view!.text).toContain("Kèm 1 ảnh");
    expect(shown).toMatchObject({ text: `Ảnh kèm ${item.reference}`, attachment: { fileName: `${item.reference}.jpg`, mimeType: "image/jpeg", base64: "", photoRef: item.photoRef } });
    const image = await fetch(`${app.baseUrl}/chat/api/photo?memberId=${reviewer.id}&messageId=${shown!.id}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await image.arrayBuffer()).equals(PHOTO)).toBe(true);
    // Only by the message that carried it, in the chat it was sent to.
    expect((await fetch(`${app.baseUrl}/chat/api/photo?memberId=${member.id}&messageId=${shown!.id}`)).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/chat/api/photo?memberId=${reviewer.id}&messageId=${view!.id}`)).status).toBe(404);
  });
});
