/**
 * Merges the OpenAPI 3.1 documents of the platform's parts (api worker, media worker, AWS core)
 * into the one document clients see. Rules, per `METHOD path` defined by more than one part:
 * the part with the highest `precedence` wins, except that an edge route marked
 * `x-questline-forwarded` (validated at the edge, then forwarded) yields to the core's
 * definition. Components of the same name and different content are renamed with the part's
 * prefix (and its `$ref`s rewritten); security schemes are declared once, by the caller.
 * Operations without an `operationId` get one from their method and path.
 */

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { paths?: Record<string, Json>; components?: Record<string, Json>; tags?: Json[] };

export interface OpenApiSource {
  /** Short name, used in messages and as the prefix of renamed components (e.g. `Media`). */
  name: string;
  document: OpenApiDocument;
  /** Wins over a lower value when two parts define the same operation. */
  precedence: number;
  /** Operations carrying this extension yield to any other part's definition of the same operation. */
  yieldsWhenMarked?: string;
}

export interface MergeOptions {
  info: Json;
  servers: Json[];
  securitySchemes: Record<string, Json>;
  /** Descriptions of tags (in this order first; other tags follow as first used). */
  tags: Json[];
  sources: OpenApiSource[];
}

export interface MergeResult {
  document: OpenApiDocument;
  /** `METHOD path: <winner> over <loser>` for each operation defined more than once. */
  overridden: string[];
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const stable = (value: unknown): string => JSON.stringify(sortKeys(value));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Json)[k])]),
    );
  }
  return value;
}

function rewriteRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, renames));
  if (value && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" && renames.has(v) ? renames.get(v) : rewriteRefs(v, renames);
    }
    return out;
  }
  return value;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const camel = (segment: string) =>
  segment
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(capitalize)
    .join("");

/** `GET /app/quizzes/{quizId}` → `getAppQuizzesByQuizId`. */
export function defaultOperationId(method: string, path: string): string {
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment.startsWith("{") ? `By${camel(segment)}` : camel(segment)));
  return `${method.toLowerCase()}${parts.join("")}`;
}

export function mergeOpenApiDocuments(options: MergeOptions): MergeResult {
  const components: Record<string, Json> = {};
  const componentOwner = new Map<string, string>();
  type Candidate = { source: OpenApiSource; operation: Json; pathItem: Json; rank: number };
  const candidates = new Map<string, Map<string, Candidate[]>>();
  const tagOrder: string[] = options.tags.map((t) => String(t.name));
  const tagInfo = new Map<string, Json>(options.tags.map((t) => [String(t.name), t]));

  for (const source of options.sources) {
    // Components: same name and content merge; a clash is renamed for this part.
    const renames = new Map<string, string>();
    for (const [type, map] of Object.entries(source.document.components ?? {})) {
      if (type === "securitySchemes") continue;
      for (const [name, value] of Object.entries(map)) {
        const key = `${type}/${name}`;
        const existing = components[type]?.[name];
        if (existing !== undefined && stable(existing) !== stable(value)) {
          renames.set(`#/components/${type}/${name}`, `#/components/${type}/${source.name}${name}`);
        }
        if (!componentOwner.has(key)) componentOwner.set(key, source.name);
      }
    }
    const document = rewriteRefs(source.document, renames) as OpenApiDocument;
    for (const [type, map] of Object.entries(document.components ?? {})) {
      if (type === "securitySchemes") continue;
      components[type] ??= {};
      for (const [name, value] of Object.entries(map)) {
        const target = renames.has(`#/components/${type}/${name}`) ? `${source.name}${name}` : name;
        components[type][target] = value as Json;
      }
    }
    for (const tag of document.tags ?? []) {
      const name = String(tag.name);
      if (!tagInfo.has(name)) tagInfo.set(name, tag);
    }

    for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method] as Json | undefined;
        if (!operation) continue;
        const marked = source.yieldsWhenMarked !== undefined && operation[source.yieldsWhenMarked] !== undefined;
        const byMethod = candidates.get(path) ?? new Map<string, Candidate[]>();
        candidates.set(path, byMethod);
        const list = byMethod.get(method) ?? [];
        list.push({ source, operation, pathItem, rank: marked ? Number.NEGATIVE_INFINITY : source.precedence });
        byMethod.set(method, list);
      }
    }
  }

  // Webhooks (OpenAPI 3.1): the parts' event catalogs, by name; a name is defined once.
  const webhooks: Record<string, Json> = {};
  for (const source of options.sources) {
    for (const [name, item] of Object.entries((source.document.webhooks ?? {}) as Record<string, Json>)) {
      if (webhooks[name]) throw new Error(`webhook ${name} is defined twice`);
      webhooks[name] = item;
    }
  }

  const overridden: string[] = [];
  const paths: Record<string, Json> = {};
  const operationIds = new Map<string, string>();
  for (const path of [...candidates.keys()].sort()) {
    const item: Json = {};
    const byMethod = candidates.get(path) ?? new Map();
    for (const method of HTTP_METHODS) {
      const list = byMethod.get(method);
      if (!list) continue;
      const [winner, ...losers] = [...list].sort((a, b) => b.rank - a.rank);
      if (!winner) continue;
      for (const loser of losers) {
        if (loser.rank === winner.rank) {
          throw new Error(
            `${method.toUpperCase()} ${path} is defined by both ${winner.source.name} and ${loser.source.name}`,
          );
        }
        overridden.push(`${method.toUpperCase()} ${path}: ${winner.source.name} over ${loser.source.name}`);
      }
      const operation: Json = { ...winner.operation };
      // Path-level parameters belong to the operation that declared them.
      const shared = winner.pathItem.parameters as Json[] | undefined;
      if (shared?.length) operation.parameters = [...shared, ...((operation.parameters as Json[]) ?? [])];
      operation.operationId ??= defaultOperationId(method, path);
      const id = String(operation.operationId);
      const previous = operationIds.get(id);
      if (previous)
        throw new Error(`operationId ${id} is used by both ${previous} and ${method.toUpperCase()} ${path}`);
      operationIds.set(id, `${method.toUpperCase()} ${path}`);
      for (const tag of (operation.tags as string[] | undefined) ?? []) {
        if (!tagOrder.includes(tag)) tagOrder.push(tag);
      }
      item[method] = operation;
    }
    paths[path] = item;
  }

  const tags = tagOrder.map((name) => tagInfo.get(name) ?? { name });
  return {
    document: {
      openapi: "3.1.0",
      info: options.info,
      servers: options.servers,
      tags,
      paths,
      ...(Object.keys(webhooks).length
        ? {
            webhooks: Object.fromEntries(
              Object.keys(webhooks)
                .sort()
                .map((n) => [n, webhooks[n] as Json]),
            ),
          }
        : {}),
      components: {
        ...Object.fromEntries(
          Object.entries(components).map(([type, map]) => [
            type,
            Object.fromEntries(
              Object.keys(map)
                .sort()
                .map((name) => [name, map[name]]),
            ),
          ]),
        ),
        securitySchemes: options.securitySchemes,
      },
    },
    overridden,
  };
}
