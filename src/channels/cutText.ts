/**
 * At most `limit` UTF-16 units (the stricter way to count a platform's characters, so an emoji
 * never pushes a text over), never splitting a character, with an ellipsis when cut.
 */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let kept = "";
  for (const char of text) {
    if (kept.length + char.length > limit - 1) break;
    kept += char;
  }
  return `${kept}…`;
}
