import type { IncomingMessage } from "node:http";

/** A method's parameters, however the client sent them. Uploaded files become `UploadedFile`. */
export type Params = Record<string, unknown>;

/** What the call log keeps of an upload: its name and size, never its bytes, so the log stays small. */
export interface UploadedFile {
  filename: string;
  size: number;
}

/** A request's parameters, and the bytes of each uploaded file by field name, kept apart from the log. */
export interface ParsedRequest {
  params: Params;
  uploads: Map<string, Buffer>;
}

// The Bot API's upload limit; beyond it a test is sending something it should not.
const MAX_BODY_BYTES = 50 * 1024 * 1024;

// Fields the Bot API takes as JSON-serialized strings when they arrive as form fields.
const JSON_FIELDS = new Set([
  "reply_markup", "entities", "caption_entities", "link_preview_options", "reply_parameters",
  "commands", "scope", "allowed_updates", "results", "media",
]);

export class BadRequestBody extends Error {}

/** Reads the query string and the body (JSON, urlencoded or multipart) into one object. */
export async function readParams(req: IncomingMessage, query: URLSearchParams): Promise<ParsedRequest> {
  const params: Params = {};
  const uploads = new Map<string, Buffer>();
  for (const [key, value] of query) params[key] = decodeField(key, value);
  const raw = await readBody(req);
  if (raw.length === 0) return { params, uploads };
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/json")) return { params: Object.assign(params, parseJsonObject(raw.toString("utf8"))), uploads };
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) params[key] = decodeField(key, value);
    return { params, uploads };
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (contentType.startsWith("multipart/form-data") && boundary) {
    parseMultipart(raw, boundary[1] ?? boundary[2] ?? "", params, uploads);
    return { params, uploads };
  }
  throw new BadRequestBody(`unsupported content type "${contentType}"`);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequestBody("request entity too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJsonObject(text: string): Params {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Params;
  } catch {
    // fall through to the same answer as a non-object body
  }
  throw new BadRequestBody("can't parse JSON object");
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Enough of RFC 7578 for telegraf: it writes `name:value` headers with no space after the colon
 * and closes with `--boundary--` without a trailing CRLF. Parts are found by `indexOf`, so a
 * body is parsed in one pass over its bytes.
 */
function parseMultipart(body: Buffer, boundary: string, params: Params, uploads: Map<string, Buffer>): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart + CRLF.length, next - CRLF.length);
    const headerEnd = part.indexOf(HEADER_END);
    if (headerEnd !== -1) addPart(params, uploads, part.subarray(0, headerEnd).toString("utf8"), part.subarray(headerEnd + HEADER_END.length));
    start = next;
  }
}

function addPart(params: Params, uploads: Map<string, Buffer>, headers: string, content: Buffer) {
  const disposition = headers.split("\r\n").find((line) => /^content-disposition\s*:/i.test(line)) ?? "";
  const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition.replace(/^[^:]*:/, ""))?.[1];
  if (name === undefined) return;
  const filename = /filename="([^"]*)"/i.exec(disposition)?.[1];
  if (filename === undefined) {
    params[name] = decodeField(name, content.toString("utf8"));
    return;
  }
  params[name] = { filename, size: content.length } satisfies UploadedFile;
  // A copy, so a kept file does not hold the whole request body in memory.
  uploads.set(name, Buffer.from(content));
}
