import crypto from "node:crypto";
import type { Request } from "express";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { isLanguage, type Language } from "../../i18n.ts";

export const TEXT_LIMIT_CHARS = 4000;
export const BUTTON_PAYLOAD_LIMIT_BYTES = 64;
const LABEL_LIMIT_CHARS = 100;
export const LONG_POLL_MAX_SECONDS = 30;

const memberId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const language = z.enum(["vi", "en"]).optional();

const PickBody = z.object({ memberId, lang: language });
const SendBody = z.object({
  memberId,
  lang: language,
  /** Chosen by the page per message, so a send it retries after a lost answer is stored once. */
  clientId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/).optional(),
  text: z.string().optional(),
  button: z.object({ payload: z.string(), label: z.string().max(LABEL_LIMIT_CHARS) }).optional(),
});
const MessagesQuery = z.object({
  memberId,
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().min(0).max(LONG_POLL_MAX_SECONDS).default(0),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new DomainError("web:badRequest");
  return result.data;
}

/** The language to answer errors in: asked for, else the browser's, else the default. */
export function requestLanguage(req: Request, fallback: Language): Language {
  const asked = (req.body as { lang?: unknown } | undefined)?.lang ?? req.query.lang;
  if (isLanguage(asked)) return asked;
  const browser = req.acceptsLanguages("vi", "en");
  return isLanguage(browser) ? browser : fallback;
}

export const parsePick = (body: unknown) => parse(PickBody, body);
export const parseMessagesQuery = (query: unknown) => parse(MessagesQuery, query);

export type SendInput = { memberId: number; clientId: string; languageCode?: Language } & ({ text: string } | { button: { payload: string; label: string } });

/** A message to send: exactly one of a non-empty text within the limit, or a pressed button. */
export function parseSend(body: unknown): SendInput {
  const input = parse(SendBody, body);
  const common = { memberId: input.memberId, clientId: input.clientId ?? crypto.randomUUID(), ...(input.lang ? { languageCode: input.lang } : {}) };
  if (input.button && input.text === undefined) {
    const { payload, label } = input.button;
    if (payload === "" || Buffer.byteLength(payload, "utf8") > BUTTON_PAYLOAD_LIMIT_BYTES) throw new DomainError("web:badRequest");
    return { ...common, button: { payload, label } };
  }
  if (input.button || input.text === undefined) throw new DomainError("web:badRequest");
  const text = input.text.trim();
  if (text === "") throw new DomainError("web:textEmpty");
  if ([...text].length > TEXT_LIMIT_CHARS) throw new DomainError("web:textTooLong", { max: TEXT_LIMIT_CHARS });
  return { ...common, text };
}
