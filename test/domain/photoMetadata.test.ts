import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPhotoFolder } from "../../src/storage/photoFolder.ts";
import { tempDir } from "../helpers/db.ts";
import { photoTypeOf } from "../../src/domain/photo.ts";
import { withoutMetadata } from "../../src/domain/photoMetadata.ts";

/** Where the photo was taken, as a phone writes it into EXIF/XMP/PNG text: it must not be kept. */
const GPS = "GPSLatitude 21.0285 GPSLongitude 105.8542 Thon Dong Ha Ky";

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

function jpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", "latin1")),
    segment(0xe1, Buffer.from(`Exif\0\0${GPS}`, "latin1")),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS}</x:xmpmeta>`, "latin1")),
    segment(0xed, Buffer.from(`Photoshop 3.0\0${GPS}`, "latin1")),
    segment(0xfe, Buffer.from(GPS, "latin1")),
    segment(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, data, Buffer.alloc(4)]);
}

function png(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", Buffer.alloc(13, 1)),
    pngChunk("eXIf", Buffer.from(GPS, "latin1")),
    pngChunk("tEXt", Buffer.from(`Location\0${GPS}`, "latin1")),
    pngChunk("IDAT", Buffer.from("image-data")),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function webpChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, "latin1");
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
}

function webp(): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0b0000_1100;
  const body = Buffer.concat([webpChunk("VP8X", vp8x), webpChunk("VP8 ", Buffer.from("image-data!")), webpChunk("EXIF", Buffer.from(GPS, "latin1")), webpChunk("XMP ", Buffer.from(GPS, "latin1"))]);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(body.length + 4, 4);
  header.write("WEBP", 8, "latin1");
  return Buffer.concat([header, body]);
}

describe("a photo kept without its metadata", () => {
  it("drops EXIF, XMP, IPTC and comments from a JPEG and keeps the image", () => {
    const original = jpeg();
    const kept = withoutMetadata(original, "jpeg");
    expect(kept.toString("latin1")).not.toContain("GPSLatitude");
    expect(photoTypeOf(kept)).toBe("jpeg");
    expect(kept.toString("latin1")).toContain("JFIF");
    expect(kept.subarray(kept.length - 9)).toEqual(original.subarray(original.length - 9));
  });

  it("drops EXIF and text chunks from a PNG and keeps the image", () => {
    const kept = withoutMetadata(png(), "png");
    expect(kept.toString("latin1")).not.toContain("GPSLatitude");
    expect(kept.toString("latin1")).toContain("IHDR");
    expect(kept.toString("latin1")).toContain("image-data");
    expect(kept.toString("latin1").endsWith("IEND\0\0\0\0")).toBe(true);
  });

  it("drops EXIF and XMP chunks from a WebP, clears their flags and fixes the size", () => {
    const kept = withoutMetadata(webp(), "webp");
    expect(kept.toString("latin1")).not.toContain("GPSLatitude");
    expect(photoTypeOf(kept)).toBe("webp");
    expect(kept.readUInt32LE(4)).toBe(kept.length - 8);
    expect(kept[20]! & 0b0000_1100).toBe(0);
    expect(kept.toString("latin1")).toContain("image-data!");
  });

  it("returns a file it cannot follow as it came", () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.from("short")]);
    expect(withoutMetadata(broken, "jpeg")).toEqual(broken);
  });
});

describe("the photo folder", () => {
  it("keeps a member's photo without where it was taken", async () => {
    const dir = tempDir();
    try {
      const folder = createPhotoFolder(path.join(dir, "photos"));
      const ref = await folder.save(jpeg(), new Date("2026-12-03T03:00:00Z"));
      const kept = await folder.read(ref);
      expect(kept!.bytes.toString("latin1")).not.toContain("GPSLatitude");
      const files = fs.readdirSync(path.join(dir, "photos"));
      expect(files.map((f) => fs.readFileSync(path.join(dir, "photos", f)).toString("latin1")).join("")).not.toContain("GPSLatitude");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
