import busboy from "busboy";
import type { Request, Response } from "express";
import { CsrfRefused, sameToken } from "./security.ts";
import { viewerOf } from "./context.ts";

export interface UploadedFile {
  fieldName: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** The file was larger than the form allows. */
export class UploadTooLarge extends Error {
  readonly status = 413;
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads a file form (one or a few files, size-capped while streaming) and checks its CSRF token
 * before anything is done with it. Every console route that takes a file reads it through here.
 */
export function readMultipart(req: Request, res: Response, limits: { maxFileBytes: number; maxFiles?: number }): Promise<MultipartForm> {
  const viewer = viewerOf(res);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles ?? 1, fields: 50, fieldSize: 100_000 } });
    } catch (error) {
      reject(Object.assign(new Error("not a file form", { cause: error }), { status: 400 }));
      return;
    }
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let failed: Error | undefined;
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (fieldName, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => {
        failed = new UploadTooLarge(limits.maxFileBytes);
      });
      stream.on("close", () => {
        if (info.filename) files.push({ fieldName, fileName: info.filename, mimeType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on("error", (error: Error) => reject(Object.assign(error, { status: 400 })));
    parser.on("close", () => {
      if (failed) return reject(failed);
      if (!sameToken(fields._csrf, viewer.session.csrfToken)) return reject(new CsrfRefused());
      resolve({ fields, files });
    });
    req.pipe(parser);
  });
}
