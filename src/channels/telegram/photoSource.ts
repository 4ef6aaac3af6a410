import type { PhotoSource } from "../../services/feedbackPhotos.ts";
import { downloadPhoto, PHOTO_DOWNLOAD_TIMEOUT_MS, photoTooLarge } from "../photoDownload.ts";

interface GetFileAnswer {
  ok?: boolean;
  description?: string;
  result?: { file_path?: string; file_size?: number };
}

/**
 * A photo by its file id: getFile gives the file's path on the Bot API server, valid for an hour,
 * and the bytes come from `<apiRoot>/file/bot<token>/<path>`. A file id works only for the bot
 * that received it, which is why chibo fetches the photo as soon as it arrives.
 */
export function createTelegramPhotoSource(settings: { token: string; apiRoot: string }): PhotoSource {
  const base = settings.apiRoot.replace(/\/+$/, "");
  return async (fileId, maxBytes) => {
    // One deadline for both calls.
    const signal = AbortSignal.timeout(PHOTO_DOWNLOAD_TIMEOUT_MS);
    const response = await fetch(`${base}/bot${settings.token}/getFile`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_id: fileId }),
      signal,
    }).catch((error: unknown) => {
      throw new Error(`getFile failed: ${error instanceof Error ? error.name : "network error"}`);
    });
    const answer = (await response.json().catch(() => ({}))) as GetFileAnswer;
    // The Bot API serves files up to 20 MB and says "file is too big" past that.
    if (/too big/i.test(answer.description ?? "")) throw photoTooLarge(maxBytes);
    const filePath = answer.result?.file_path;
    if (!answer.ok || !filePath) throw new Error(`getFile failed: HTTP ${response.status} ${answer.description ?? ""}`.trim());
    if ((answer.result?.file_size ?? 0) > maxBytes) throw photoTooLarge(maxBytes);
    return downloadPhoto(`${base}/file/bot${settings.token}/${filePath}`, { maxBytes, allowHttp: base.startsWith("http:"), signal });
  };
}
