/** Markers FTS5 puts around matches; control characters that never occur in stored text. */
export const MARK_OPEN = "\u0002";
export const MARK_CLOSE = "\u0003";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** HTML-escapes the stored text, then turns the FTS markers into `<mark>` tags. */
export function markHighlights(text: string | null | undefined): string {
  if (!text) return "";
  return text
    .replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch)
    .replaceAll(MARK_OPEN, "<mark>")
    .replaceAll(MARK_CLOSE, "</mark>");
}
