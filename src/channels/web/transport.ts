import type { Transport } from "../../delivery/outboxWorker.ts";

/**
 * The web chat has nothing to send to: a message is delivered once the worker marks its outbox
 * row sent, and the page reads sent rows back. The row id is the message id, so nothing about a
 * message lives only in memory and a reload (or a second instance) sees the same conversation.
 */
export function createWebTransport(): Transport {
  return {
    // The page reads the sent row's text: a text asked to be forgotten stays (demo members are fictional).
    keepsText: true,
    async send(row) {
      return { externalMessageId: String(row.id) };
    },
  };
}
