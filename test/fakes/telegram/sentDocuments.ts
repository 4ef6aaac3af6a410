/** A file the bot sent with sendDocument as an upload, bytes and all, for tests to read back. */
export interface SentDocument {
  chatId: string;
  fileName: string;
  bytes: Buffer;
  caption?: string;
  replyMarkup?: unknown;
  messageId: number;
  at: number;
}

// Uploads are kept whole; past this many the oldest go, so a long run stays bounded.
const MAX_KEPT_DOCUMENTS = 1_000;

/** The uploads the fake accepted, oldest first. Files sent by file_id or URL carry no bytes and are not kept. */
export class SentDocuments {
  private documents: SentDocument[] = [];

  record(document: SentDocument) {
    this.documents.push(document);
    if (this.documents.length > MAX_KEPT_DOCUMENTS) this.documents = this.documents.slice(-MAX_KEPT_DOCUMENTS);
  }

  all(): SentDocument[] {
    return [...this.documents];
  }

  reset() {
    this.documents = [];
  }
}

/** A photo the bot uploaded with sendPhoto, bytes and all. */
export interface SentPhoto {
  chatId: string;
  bytes: Buffer;
  caption?: string;
  replyMarkup?: unknown;
  messageId: number;
  at: number;
}

/**
 * Files people sent the bot, for getFile and the file download route to hand back: by file id, with
 * the path the Bot API gives them.
 */
export class PeopleFiles {
  private readonly byId = new Map<string, { filePath: string; bytes: Buffer }>();

  add(fileId: string, bytes: Buffer): string {
    const filePath = `photos/file_${this.byId.size + 1}.jpg`;
    this.byId.set(fileId, { filePath, bytes });
    return filePath;
  }

  byFileId(fileId: string) {
    return this.byId.get(fileId);
  }

  byPath(filePath: string): Buffer | undefined {
    for (const file of this.byId.values()) if (file.filePath === filePath) return file.bytes;
    return undefined;
  }

  reset() {
    this.byId.clear();
  }
}
