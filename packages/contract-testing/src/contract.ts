/**
 * One OpenAPI 3.1 document, ready to check responses against: operation matching (method +
 * path template, after the document's server path prefixes and an optional base path) and
 * response validation by status code and content type, with a real JSON Schema 2020-12
 * validator (`@cfworker/json-schema`: no eval / new Function, so it runs in workerd and Node).
 */
import { dereference, encodePointer, type OutputUnit, type Schema, validate } from "@cfworker/json-schema";

type Json = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document this package reads. */
export interface OpenApiDocument {
  openapi?: string;
  servers?: ServerObject[];
  paths?: Record<string, Json>;
  components?: Json;
  [key: string]: unknown;
}
interface ServerObject {
  url: string;
  variables?: Record<string, { default: string }>;
}
interface ResponseObject {
  content?: Record<string, { schema?: unknown }>;
  $ref?: string;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface ContractDocumentOptions {
  /** How messages name the document, e.g. `docs/openapi.json`. */
  name: string;
  document: OpenApiDocument;
  /**
   * A prefix our paths have and the document's do not (the reference's `/badges` is our
   * `/app/badges`): a request path must start with it, and it is removed before matching.
   */
  basePath?: string;
}

export interface Operation {
  /** The document's name (ContractDocumentOptions.name). */
  document: string;
  method: string;
  /** The path template (basePath included, server prefix not), e.g. `/app/quizzes/{quizId}`. */
  path: string;
  operationId: string | undefined;
  /** The documented responses (status code, `2XX` or `default` → response object). */
  responses: Record<string, ResponseObject>;
  /** JSON pointer of the operation in its document. */
  pointer: string;
}

/** One way a response differs from a document. */
export interface Mismatch {
  /** JSON pointer into the response body (`""` for the whole body or not about the body). */
  pointer: string;
  message: string;
}

/** What a response is checked on: status, media type and body (already read). */
export interface ResponseFacts {
  method: string;
  status: number;
  /** The `content-type` header, or null. */
  contentType: string | null;
  /** The body as text (empty for none). */
  body: string;
}

/**
 * The validator's index of a document: every sub-object by its URI. `dereference` marks the
 * objects it indexes (non-enumerable properties), so one document object gets one index and
 * one base URI, however many ContractDocuments wrap it.
 */
const indexes = new WeakMap<object, { base: string; lookup: Record<string, Schema | boolean> }>();
function indexOf(document: OpenApiDocument) {
  let index = indexes.get(document);
  if (!index) {
    const base = `https://contract.invalid/document-${indexesBuilt++}`;
    index = { base, lookup: dereference(document as unknown as Schema, Object.create(null), new URL(base)) };
    indexes.set(document, index);
  }
  return index;
}
let indexesBuilt = 0;

interface CompiledPath {
  template: string;
  segments: (string | null)[];
  item: Json;
}

/** The path part of a server URL (variables at their defaults), without a trailing slash. */
function serverPath(server: ServerObject): string {
  let url = server.url;
  for (const [name, variable] of Object.entries(server.variables ?? {})) {
    url = url.replaceAll(`{${name}}`, variable.default);
  }
  try {
    return new URL(url, "http://relative.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

function mediaTypeOf(contentType: string | null): string | null {
  if (!contentType) return null;
  return contentType.split(";")[0]!.trim().toLowerCase() || null;
}

const isJsonMediaType = (mediaType: string) => mediaType === "application/json" || mediaType.endsWith("+json");

/** The documented response for a status: exact code, then its range (`2XX`), then `default`. */
function responseFor(operation: Operation, status: number): { key: string; response: ResponseObject } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, "default"]) {
    const response = operation.responses[key];
    if (response) return { key, response };
  }
  return undefined;
}

/** The documented media type for a response's: exact, then `type/*`, then `*\/*`. */
function contentFor(
  response: ResponseObject,
  mediaType: string,
): { key: string; content: { schema?: unknown } } | undefined {
  const content = response.content ?? {};
  const lower = new Map(Object.entries(content).map(([k, v]) => [k.split(";")[0]!.trim().toLowerCase(), { k, v }]));
  for (const key of [mediaType, `${mediaType.split("/")[0]}/*`, "*/*"]) {
    const hit = lower.get(key);
    if (hit) return { key: hit.k, content: hit.v };
  }
  return undefined;
}

/** The most specific errors of a validation (the leaves, not the `$ref`/`allOf`/`properties` wrappers around them). */
function leafErrors(errors: OutputUnit[]): OutputUnit[] {
  const wrappers = new Set(["$ref", "properties", "items", "prefixItems", "allOf", "additionalProperties"]);
  const leaves = errors.filter((e) => !wrappers.has(e.keyword));
  return leaves.length ? leaves : errors;
}

export class ContractDocument {
  readonly name: string;
  readonly document: OpenApiDocument;
  readonly basePath: string;
  private readonly paths: CompiledPath[];
  private readonly prefixes: string[];

  constructor(options: ContractDocumentOptions) {
    this.name = options.name;
    this.document = options.document;
    this.basePath = (options.basePath ?? "").replace(/\/+$/, "");
    const prefixes = new Set<string>([""]);
    const addServers = (servers: unknown) => {
      for (const server of (servers as ServerObject[] | undefined) ?? []) prefixes.add(serverPath(server));
    };
    addServers(this.document.servers);
    this.paths = Object.entries(this.document.paths ?? {}).map(([template, item]) => {
      addServers(item.servers);
      for (const method of HTTP_METHODS) addServers((item[method] as Json | undefined)?.servers);
      return {
        template,
        segments: template
          .split("/")
          .slice(1)
          .map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment)),
        item,
      };
    });
    // Literal segments win over templated ones (`/media/multipart` before `/media/{mediaId}`).
    this.paths.sort((a, b) => {
      for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
        const x = a.segments[i] === null ? 1 : 0;
        const y = b.segments[i] === null ? 1 : 0;
        if (x !== y) return x - y;
      }
      return 0;
    });
    this.prefixes = [...prefixes].sort((a, b) => b.length - a.length);
  }

  /**
   * The operation answering `method` on `pathname` (a concrete path, e.g. `/app/quizzes/q1`),
   * if documented. With `template`, `pathname` is another document's path template: its
   * `{…}` segments match only templated ones, its literal segments only the same literal (our
   * `/app/quizzes/featured` is not the reference's `/quizzes/{quizId}`).
   */
  match(method: string, pathname: string, options: { template?: boolean } = {}): Operation | undefined {
    const lower = method.toLowerCase();
    if (this.basePath) {
      if (pathname !== this.basePath && !pathname.startsWith(`${this.basePath}/`)) return undefined;
      pathname = pathname.slice(this.basePath.length) || "/";
    }
    for (const prefix of this.prefixes) {
      if (prefix && pathname !== prefix && !pathname.startsWith(`${prefix}/`)) continue;
      const rest = pathname.slice(prefix.length) || "/";
      const segments = rest.split("/").slice(1);
      for (const candidate of this.paths) {
        if (candidate.segments.length !== segments.length) continue;
        const fits = candidate.segments.every((s, i) => {
          const actual = segments[i]!;
          if (options.template) return /^\{[^}]+\}$/.test(actual) ? s === null : s === actual;
          return s === null ? actual.length > 0 : s === safeDecode(actual);
        });
        if (!fits) continue;
        const operation = candidate.item[lower] as Json | undefined;
        if (!operation) continue;
        return {
          document: this.name,
          method: method.toUpperCase(),
          path: `${this.basePath}${candidate.template}`,
          operationId: typeof operation.operationId === "string" ? operation.operationId : undefined,
          responses: (operation.responses as Record<string, ResponseObject> | undefined) ?? {},
          pointer: `#/paths/${encodePointer(candidate.template)}/${lower}`,
        };
      }
    }
    return undefined;
  }

  /** Every way `response` differs from what `operation` documents (empty: it conforms). */
  check(
    operation: Operation,
    response: ResponseFacts,
    options: {
      /** false: an undocumented status is no mismatch (default true). */
      statusMustBeDocumented?: boolean;
      /** false: a body where the document describes none is no mismatch (default true). */
      contentMustBeDocumented?: boolean;
    } = {},
  ): Mismatch[] {
    const found = responseFor(operation, response.status);
    if (!found) {
      if (options.statusMustBeDocumented === false) return [];
      const documented = Object.keys(operation.responses).join(", ") || "none";
      return [{ pointer: "", message: `status ${response.status} is not documented (documented: ${documented})` }];
    }
    const { response: resolved, pointer: responsePointer } = this.resolveResponse(
      found.response,
      `${operation.pointer}/responses/${encodePointer(found.key)}`,
    );
    const mediaType = mediaTypeOf(response.contentType);
    const hasBody = response.body.length > 0 && response.method.toUpperCase() !== "HEAD";
    const documentedTypes = Object.keys(resolved.content ?? {});
    if (!mediaType) {
      if (!hasBody) return [];
      return [{ pointer: "", message: `a body without a content-type (documented: ${documentedTypes.join(", ")})` }];
    }
    if (!documentedTypes.length) {
      if (!hasBody || options.contentMustBeDocumented === false) return [];
      return [{ pointer: "", message: `a ${mediaType} body where the document describes none` }];
    }
    const content = contentFor(resolved, mediaType);
    if (!content) {
      return [
        {
          pointer: "",
          message: `content-type ${mediaType} is not documented for status ${found.key} (documented: ${documentedTypes.join(", ")})`,
        },
      ];
    }
    if (!hasBody || !isJsonMediaType(mediaType) || content.content.schema === undefined) return [];
    let instance: unknown;
    try {
      instance = JSON.parse(response.body);
    } catch {
      return [{ pointer: "", message: `the ${mediaType} body is not JSON` }];
    }
    return this.validateAt(`${responsePointer}/content/${encodePointer(content.key)}/schema`, instance);
  }

  /** Validates `instance` against the schema at `pointer` (a `#/…` JSON pointer into this document). */
  validateAt(pointer: string, instance: unknown): Mismatch[] {
    const { base, lookup } = indexOf(this.document);
    const uri = `${base}${pointer}`;
    const schema = lookup[uri];
    if (schema === undefined) return [{ pointer: "", message: `no schema at ${pointer} in ${this.name}` }];
    const result = validate(instance, schema, "2020-12", lookup, false);
    if (result.valid) return [];
    return leafErrors(result.errors).map((error) => ({
      pointer: error.instanceLocation.replace(/^#/, ""),
      message: `${error.error} (schema ${error.keywordLocation.replace(/^#/, "")})`,
    }));
  }

  /** A response object with its `$ref`s followed, and the JSON pointer where it is. */
  private resolveResponse(response: ResponseObject, pointer: string): { response: ResponseObject; pointer: string } {
    let current = { response, pointer };
    for (let depth = 0; current.response.$ref && depth < 10; depth++) {
      const ref = current.response.$ref;
      const target = resolvePointer(this.document, ref);
      if (!target) break;
      current = { response: target as ResponseObject, pointer: ref };
    }
    return current;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node;
}
