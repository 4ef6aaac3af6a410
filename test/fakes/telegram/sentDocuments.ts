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
