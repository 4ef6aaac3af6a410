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

/** Trims, collapses inner whitespace and puts text in NFC, the form we store. */
export function cleanText(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}
