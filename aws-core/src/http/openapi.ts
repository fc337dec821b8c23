import { OpenAPIHono, z } from "@hono/zod-openapi";
import { errorBodySchema } from "@questline/contracts";
import type { CoreEnv } from "./env";
import { toValidationError } from "./validation";

/**
 * Building blocks for documented core routes (`@hono/zod-openapi`): a router whose request
 * validation answers with the platform's 400s, the shared error responses, and the common
 * parameter and envelope schemas. The document itself is assembled by `app/openapi.ts`.
 */

/** A router whose documented request schemas fail with `request.validation_failed` / `request.unknown_field`. */
export function documentedRouter(): OpenAPIHono<CoreEnv> {
  return new OpenAPIHono<CoreEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw toValidationError(result.error, result.target === "json" ? "Request body" : "Request");
      }
    },
  });
}

/** Cognito bearer tokens (dashboard tokens carry a role; app tokens act as a user or M2M). */
export const bearerSecurity = [{ bearerAuth: [] }];

const errorSchema = errorBodySchema as unknown as z.ZodType;
const errorContent = { "application/json": { schema: errorSchema } };
const error = (description: string) => ({ description, content: errorContent });

/** The error responses every authenticated core route can produce. */
export const errorResponses = {
  400: error("Invalid request: the failing fields are in `error.details`"),
  401: error("Missing or invalid access token"),
  403: error("The token lacks the rights for this operation"),
  404: error("Not found in this workspace"),
  429: error("Rate limited (see `Retry-After`)"),
  500: error("Unexpected failure (logged with the request id)"),
} as const;

/** Extra errors of writes: conflicts, body limits and content type. */
export const writeErrors = {
  ...errorResponses,
  409: error("Conflict: a concurrent change, a stale `If-Match`, an existing id or an invalid state"),
  413: error("The body exceeds 256 KiB"),
  415: error("The body is not `application/json`"),
} as const;

export function jsonContent<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<S extends z.ZodType>(schema: S, description?: string) {
  return { required: true, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}

/** Path parameters named as the reference names them (e.g. `{activityId}`). */
export function idParams(name: string) {
  return z.object({
    [name]: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: "path" }, example: "FUMzPf00hz_kcj2R2Hlzq" }),
  });
}

/** `If-Match: "<version>"`: optimistic concurrency on writes. */
export const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .openapi({ param: { name: "if-match", in: "header" }, description: 'Expected version, e.g. `"3"`' }),
});

/** `fields=tags,translations`: extra parts of the record to include (comma-separated or repeated). */
export function fieldsQuery<const F extends readonly [string, ...string[]]>(fields: F) {
  return z
    .preprocess(
      (value) => (typeof value === "string" ? value.split(",").filter(Boolean) : value),
      z.array(z.enum(fields)),
    )
    .optional()
    .openapi({
      param: { name: "fields", in: "query", style: "form", explode: false },
      type: "array",
      items: { type: "string", enum: [...fields] },
    } as never);
}

/**
 * The reference's `fields` on a read whose parts we always include (`always`) or do not have
 * (`absent`): accepted (so a reference client's request is valid), and an unknown part is a 400.
 */
export function referenceFieldsQuery<const F extends readonly [string, ...string[]]>(
  fields: F,
  always: readonly F[number][],
  absent: readonly F[number][] = [],
) {
  const parts = [
    always.length ? `${always.map((f) => `\`${f}\``).join(", ")} always included` : "",
    absent.length ? `${absent.map((f) => `\`${f}\``).join(", ")} not provided (see docs/reference-deviations.md)` : "",
  ].filter(Boolean);
  return z.object({
    fields: fieldsQuery(fields).openapi({ description: `The reference's parts to include: ${parts.join("; ")}` }),
  });
}

/** Pagination as the reference has it: `limit` (1–100, default 20) and an opaque `nextToken`. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: "limit", in: "query" }, description: "Size of the page", example: 20 }),
  nextToken: z
    .string()
    .max(2048)
    .optional()
    .openapi({ param: { name: "nextToken", in: "query" }, description: "Cursor from the previous page" }),
};

/** A page of items: `{ items, nextToken }` (null on the last page). */
export function pageSchema<S extends z.ZodType>(item: S) {
  return z.object({
    items: z.array(item),
    nextToken: z.string().nullable().openapi({ description: "Cursor for the next page; null on the last" }),
  });
}

/** The region that wrote the record (DynamoDB global tables replicate it). */
export const sourceRegionSchema = z.string().openapi({ example: "eu-west-1" });

type Method = "get" | "post" | "put" | "patch" | "delete";

/** A documented operation of a router whose handler reads its input itself (`readJson` / `readQuery`). */
export interface DocumentedOperation {
  method: Method;
  /** The router-relative path in Hono's form (`/:missionId/redeem`); parameters become `{missionId}`. */
  path: string;
  /** Reference-style id, e.g. `app/missions/list`. */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** The schema the handler parses the query string with. */
  query?: z.ZodObject;
  /** The schema the handler parses the body with (`application/json`). */
  body?: z.ZodType;
  /** The body may be left out. */
  bodyOptional?: boolean;
  headers?: z.ZodObject;
  /** Success responses by status: a JSON schema, or `null` for an empty body (204). */
  responses: Record<number, { description: string; schema: z.ZodType | null }>;
  /** Writes add 409/413/415 to the shared errors. */
  writes?: boolean;
  /** Dashboard routes name who may call them. */
  security?: Record<string, string[]>[];
  /** App routes where an M2M token acts for a user (`x-external-user-id` / `x-user-id`). */
  actingUser?: boolean;
}

/** M2M app tokens name the user they act for (ignored for a user's own token). */
export const actingUserHeaders = z.object({
  "x-external-user-id": z
    .string()
    .max(256)
    .optional()
    .openapi({ description: "M2M tokens: the customer's id of the user to act for" }),
  "x-user-id": z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "M2M tokens: the Questline id of the user to act for" }),
});

/**
 * Registers an operation of a router in the document without changing how it runs: the
 * handler keeps validating with the same zod schemas the document shows (`query`, `body`).
 * Path parameters come from the path; every operation gets the shared error responses.
 */
export function documentOperation(routes: OpenAPIHono<CoreEnv>, op: DocumentedOperation): void {
  const names = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  const path = op.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\/$/, "") || "/";
  const params = names.length
    ? z.object(Object.fromEntries(names.map((name) => [name, idParams(name).shape[name] as z.ZodType])))
    : undefined;
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = r.schema ? jsonContent(r.schema, r.description) : { description: r.description };
  }
  routes.openAPIRegistry.registerPath({
    method: op.method,
    path,
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: op.security ?? bearerSecurity,
    request: {
      ...(params ? { params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.headers || op.actingUser
        ? { headers: op.actingUser ? actingUserHeaders.extend(op.headers?.shape ?? {}) : op.headers }
        : {}),
      ...(op.body ? { body: { ...jsonBody(op.body), required: !op.bodyOptional } } : {}),
    },
    responses: { ...responses, ...(op.writes ? writeErrors : errorResponses) } as never,
  });
}
