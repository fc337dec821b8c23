import type { z } from "zod";

/**
 * Items read from DynamoDB are parsed at the boundary: a module declares the shape it stored
 * (a zod schema, usually `.loose()` so key and index attributes pass through) and reads
 * items through it, instead of casting. An item that does not match is a broken invariant
 * (a bug or a hand-edited table), never a client error: it throws, the request is logged
 * and answered with a generic 500.
 */
export function parseItem<S extends z.ZodType>(schema: S, item: Record<string, unknown>, what: string): z.output<S> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(item)"}: ${i.message}`)
    .join("; ");
  throw new StoredItemError(
    `stored ${what} ${String(item.pk)} / ${String(item.sk)} does not match its schema (${where})`,
  );
}

export function parseItems<S extends z.ZodType>(
  schema: S,
  items: readonly Record<string, unknown>[] | undefined,
  what: string,
): z.output<S>[] {
  return (items ?? []).map((item) => parseItem(schema, item, what));
}

export class StoredItemError extends Error {
  override readonly name = "StoredItemError";
}
