/**
 * Vietnamese text folding: people type with and without diacritics, in NFC or NFD.
 * `foldVietnamese("Vắng VÌ ốm")` → "vang vi om". Used for matching words and for search columns.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .normalize("NFC");
}

/** Folds and collapses whitespace: the key a name is searched and matched by. */
export function searchKey(text: string): string {
  return foldVietnamese(text).replace(/\s+/g, " ").trim();
}

/**
 * Terminal escape sequences, removed whole so their parameters do not stay behind as text:
 * CSI (ESC [ … final byte, or the one-byte C1 CSI) and OSC (ESC ] … ended by BEL or ST).
 */
const ESCAPE_SEQUENCES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
/** C0 and C1 controls and DEL, except the whitespace ones (tab, line breaks) the callers' space rules handle. */
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides and isolates: an RLO in a name would flip the rest of a roster line. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes what must never be stored from people's or files' text: escape sequences, control
 * characters and bidi overrides (a name shown in a terminal or a chat must not steer it).
 * Whitespace, line breaks included, is left to the caller.
 */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, "").replace(CONTROLS, "").replace(BIDI_CONTROLS, "");
}

/** One line: controls removed, inner whitespace collapsed, trimmed and in NFC, the form we store. */
export function cleanText(text: string): string {
  return stripControls(text.normalize("NFC")).replace(/\s+/g, " ").trim();
}
