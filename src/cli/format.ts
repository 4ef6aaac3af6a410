/** Parses "YYYY-MM-DD HH:MM" or "DD/MM/YYYY HH:MM" as Vietnam time. */
export function parseLocalDateTime(text: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(text.trim());
  if (iso) return { year: +iso[1]!, month: +iso[2]!, day: +iso[3]!, hour: +iso[4]!, minute: +iso[5]! };
  if (vn) return { year: +vn[3]!, month: +vn[2]!, day: +vn[1]!, hour: +vn[4]!, minute: +vn[5]! };
  return null;
}
