import crypto from "node:crypto";
import { pino } from "pino";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/app.ts";
import { createPhotoLinks, photoLinkKey, PHOTO_LINK_TTL_MS } from "../../src/http/photoLinks.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createPhotoFolder } from "../../src/storage/photoFolder.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const NOW = "2026-12-03T03:00:00Z";
const PUBLIC_URL = "https://chibo.example.vn";
const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(500)]);

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

async function served() {
  const clock = fixedClock(NOW);
  const folder = createPhotoFolder(`${database.dir}/photos`);
  const ref = await folder.save(photo, clock.now());
  const links = createPhotoLinks({ publicUrl: PUBLIC_URL, key: await photoLinkKey(database.prisma, undefined), read: folder.read, clock });
  const app = createHttpApp({ isDatabaseReachable: async () => true, logger: pino({ level: "silent" }), mounts: [links.mount] });
  const link = links.urlFor(ref, clock.now())!;
  const pathOf = (url: string) => url.slice(PUBLIC_URL.length);
  return { clock, app, link, pathOf, links, ref };
}

describe("photo links for the platforms that show a photo by its address", () => {
  it("serve the photo at the signed link until it expires, with nothing to cache or sniff", async () => {
    const { app, link, pathOf, clock } = await served();
    expect(link.startsWith(`${PUBLIC_URL}/photos/`)).toBe(true);
    const res = await request(app).get(pathOf(link)).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect((res.body as Buffer).equals(photo)).toBe(true);

    clock.advance(PHOTO_LINK_TTL_MS + 1000);
    expect((await request(app).get(pathOf(link))).status).toBe(404);
  });

  it("answer 404 alike for a changed signature, a later expiry, another file or no signature", async () => {
    const { app, link, pathOf } = await served();
    const url = new URL(link);
    const sig = url.searchParams.get("sig")!;
    const tampered = new URL(link);
    tampered.searchParams.set("sig", `${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`);
    const later = new URL(link);
    later.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 3600));
    const other = link.replace(/photos\/[0-9a-f]{64}/, `photos/${"b".repeat(64)}`);
    for (const bad of [tampered.toString(), later.toString(), other, `${PUBLIC_URL}${url.pathname}`, `${PUBLIC_URL}/photos/..%2Fchibo.db?exp=1&sig=x`]) {
      const res = await request(app).get(pathOf(bad));
      expect(res.status, bad).toBe(404);
      expect(res.body).toEqual({ error: "not_found" });
    }
  });

  it("give no link without a public URL, and sign alike on every instance sharing the database", async () => {
    const { ref, links, clock } = await served();
    const bare = createPhotoLinks({ key: await photoLinkKey(database.prisma, undefined), read: async () => null, clock });
    expect(bare.urlFor(ref, clock.now())).toBeUndefined();
    const second = createPhotoLinks({ publicUrl: PUBLIC_URL, key: await photoLinkKey(database.prisma, undefined), read: async () => null, clock });
    expect(second.urlFor(ref, clock.now())).toBe(links.urlFor(ref, clock.now()));
    // With CHIBO_SECRET_KEY the key comes from it instead.
    const keyed = createPhotoLinks({ publicUrl: PUBLIC_URL, key: await photoLinkKey(database.prisma, "11".repeat(32)), read: async () => null, clock });
    expect(keyed.urlFor(ref, clock.now())).not.toBe(links.urlFor(ref, clock.now()));
  });
});

describe("the photo folder", () => {
  it("keeps JPEG, PNG and WebP by their bytes' hash, and refuses anything else or anything too large", async () => {
    const folder = createPhotoFolder(`${database.dir}/photos`);
    const now = new Date(NOW);
    const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.from([1, 0, 0, 0]), Buffer.from("WEBPVP8 "), crypto.randomBytes(20)]);
    expect(await folder.save(webp, now)).toMatch(/^photo:[0-9a-f]{64}\.webp$/);
    const ref = await folder.save(photo, now);
    expect(ref).toBe(`photo:${crypto.createHash("sha256").update(photo).digest("hex")}.png`);
    expect(await folder.save(photo, now)).toBe(ref);
    await expect(folder.save(Buffer.from("GIF89a-not-kept"), now)).rejects.toMatchObject({ code: "feedback:photoNotImage" });
    await expect(folder.save(Buffer.concat([photo, Buffer.alloc(10 * 1024 * 1024)]), now)).rejects.toMatchObject({ code: "feedback:photoTooLarge", params: { maxMb: 10 } });
    expect((await folder.list()).map((entry) => entry.ref).sort()).toHaveLength(2);
    expect(await folder.read("photo:../../chibo.db")).toBeNull();
  });
});
