/**
 * Splits rows into chunks whose JSON encoding stays under `maxBytes` (D1 caps a bound
 * string at 1 MB), so each chunk can be bound as a single `json_each(?)` parameter. A row
 * larger than the budget gets a chunk of its own (D1 then rejects it, which fails the batch
 * rather than silently dropping data).
 */
export function chunkJsonRows<T>(rows: readonly T[], maxBytes: number): string[] {
  const encoder = new TextEncoder();
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const rowBytes = encoder.encode(json).byteLength + 1;
    if (current.length > 0 && size + rowBytes > maxBytes) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += rowBytes;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}
