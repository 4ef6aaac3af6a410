import crypto from "node:crypto";
import express, { type Router } from "express";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { MAX_PHOTO_BYTES } from "../../domain/photo.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import { WEB_CHANNEL, type WebChatService } from "../../services/webChat.ts";
import type { Attachment, PhotoShelf } from "../types.ts";
import type { WebUpdate } from "./decode.ts";
import { TEXT_LIMIT_CHARS } from "./requests.ts";

/** A photo comes as base64 in JSON: a third larger than its bytes, and a little room for the rest. */
const UPLOAD_BODY_LIMIT_BYTES = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;
const BYTES_PER_MB = 1024 * 1024;

const memberId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const UploadBody = z.object({
  memberId,
  lang: z.enum(["vi", "en"]).optional(),
  clientId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/).optional(),
  /** The caption, typed in the box when the photo was chosen. */
  text: z.string().optional(),
  photo: z.string().min(1),
});
const PhotoQuery = z.object({ memberId, messageId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** What the page's photo routes need: where kept photos are written and read. */
export interface WebPhotos extends PhotoShelf {
  save(bytes: Buffer, now: Date): Promise<string>;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new DomainError("web:badRequest");
  return result.data;
}

/**
 * The page's photos: an upload is checked (an image, within the size limit) and kept before it is
 * stored as the person's message, so what the core handles is a photo chibo already holds; a
 * photo chibo sent to the chat is read back by the message that carried it, nothing else.
 */
export function photoRoutes(deps: { webChat: WebChatService; store: InboundStore; clock: Clock; photos: WebPhotos }): Router {
  const router = express.Router();
  router.post("/photo", express.json({ limit: UPLOAD_BODY_LIMIT_BYTES }), async (req, res) => {
    const input = parse(UploadBody, req.body);
    const text = input.text?.trim() ?? "";
    if ([...text].length > TEXT_LIMIT_CHARS) throw new DomainError("web:textTooLong", { max: TEXT_LIMIT_CHARS });
    const bytes = Buffer.from(input.photo, "base64");
    if (bytes.length > MAX_PHOTO_BYTES) throw new DomainError("feedback:photoTooLarge", { maxMb: MAX_PHOTO_BYTES / BYTES_PER_MB });
    const { member, chatId } = await deps.webChat.link(input.memberId, deps.clock.now());
    const ref = await deps.photos.save(bytes, deps.clock.now());
    const update: WebUpdate = {
      id: `${chatId}:${input.clientId ?? crypto.randomUUID()}`,
      chatId,
      displayName: member.fullName,
      ...(input.lang ? { languageCode: input.lang } : {}),
      photo: ref,
      ...(text ? { text } : {}),
    };
    const stored = await deps.store.record(WEB_CHANNEL, update.id, JSON.stringify(update), deps.clock.now());
    res.status(202).json({ id: update.id, duplicate: !stored });
  });

  router.get("/photo", async (req, res) => {
    const query = parse(PhotoQuery, req.query);
    await deps.webChat.demoMember(query.memberId);
    // The one sent row with this id in the member's chat, if there is one.
    const [row] = await deps.webChat.sentAfter(query.memberId, query.messageId - 1, 1, deps.clock.now());
    const attachment = row?.id === query.messageId && row.attachment ? (JSON.parse(row.attachment) as Attachment) : undefined;
    const photo = attachment?.photoRef ? await deps.photos.read(attachment.photoRef) : null;
    res.set({ "cache-control": "private, no-store", "x-content-type-options": "nosniff" });
    if (!photo) {
      res.status(404).json({ error: "web:notFound" });
      return;
    }
    res.type(photo.mimeType).send(photo.bytes);
  });
  return router;
}
