import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  createLearningPathSchema,
  errorBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  learningPathSchema,
  QuestlineError,
  updateLearningPathSchema,
} from "@questline/contracts";
import { coreConfigFromEnv, signedForward } from "@questline/edge";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import {
  authErrorResponses,
  bearerSecurity,
  contractSchema,
  forwardedToCore,
  notFoundResponse,
  upstreamResponses,
} from "../http/openapi";

/** Forwards the current request to the AWS core (same path), signed, with the verified identity. */
export async function forwardToCore(c: Context<AppEnv>): Promise<Response> {
  const needsBody = c.req.method !== "GET" && c.req.method !== "HEAD";
  return signedForward({
    request: c.req.raw,
    identity: c.var.identity,
    requestId: c.var.requestId,
    config: coreConfigFromEnv(c.env),
    // Hono keeps the body it already read for validation; the raw stream may be spent.
    ...(needsBody ? { body: await c.req.arrayBuffer() } : {}),
  });
}

const json = (schema: unknown) => ({ "application/json": { schema: contractSchema(schema) } });
const idParams = z.object({
  learningPathId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .openapi({ param: { name: "learningPathId", in: "path" } }),
});
const idempotencyHeader = z.object({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .max(128)
    .optional()
    .openapi({ description: "Replays with the same key return the first result" }),
});
const forwardedErrors = { ...authErrorResponses, ...notFoundResponse, ...upstreamResponses };
const conflict = { 409: { description: "Conflict", content: json(errorBodySchema) } } as const;
/** What `jsonBody()` answers before the body is read (see packages/edge/README.md). */
const bodyErrors = {
  413: { description: "Body over 256 KiB (`request.too_large`)", content: json(errorBodySchema) },
  415: { description: "Body is not JSON (`request.unsupported_media_type`)", content: json(errorBodySchema) },
} as const;

/**
 * Core routes documented in the OpenAPI document (validated here, then forwarded). Every
 * other `/app/*` and `/dashboard/*` path the edge does not serve is forwarded by the
 * catch-all in `index.ts`.
 */
export function registerForwardedRoutes(app: OpenAPIHono<AppEnv>): void {
  refuseMediaWrites(app);
  const tags = ["Learning paths (dashboard)"];
  const forward = ((c: Context<AppEnv>) => forwardToCore(c)) as never;

  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/learning-paths",
      tags,
      ...forwardedToCore,
      summary: "Create a learning path (forwarded to the core)",
      security: bearerSecurity,
      request: {
        headers: idempotencyHeader,
        body: { content: json(createLearningPathSchema), required: true },
      },
      responses: {
        201: { description: "Created", content: json(learningPathSchema) },
        ...forwardedErrors,
        ...conflict,
        ...bodyErrors,
      },
    }),
    forward,
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/learning-paths",
      tags,
      ...forwardedToCore,
      summary: "List learning paths (forwarded to the core)",
      security: bearerSecurity,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).optional(),
          nextToken: z.string().max(2048).optional(),
        }),
      },
      responses: {
        200: {
          description: "One page",
          content: json(z.object({ items: z.array(learningPathSchema), nextToken: z.string().nullable().optional() })),
        },
        ...forwardedErrors,
      },
    }),
    forward,
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/learning-paths/{learningPathId}",
      tags,
      ...forwardedToCore,
      summary: "Get a learning path (forwarded to the core)",
      security: bearerSecurity,
      request: { params: idParams },
      responses: { 200: { description: "The learning path", content: json(learningPathSchema) }, ...forwardedErrors },
    }),
    forward,
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/dashboard/learning-paths/{learningPathId}",
      tags,
      ...forwardedToCore,
      summary: "Update a learning path (forwarded to the core)",
      security: bearerSecurity,
      request: {
        params: idParams,
        headers: idempotencyHeader,
        body: { content: json(updateLearningPathSchema), required: true },
      },
      responses: {
        200: { description: "Updated", content: json(learningPathSchema) },
        ...forwardedErrors,
        ...conflict,
        ...bodyErrors,
      },
    }),
    forward,
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/dashboard/learning-paths/{learningPathId}",
      tags,
      ...forwardedToCore,
      summary: "Delete a learning path (forwarded to the core)",
      security: bearerSecurity,
      request: { params: idParams, headers: idempotencyHeader },
      responses: { 204: { description: "Deleted" }, ...forwardedErrors },
    }),
    forward,
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/learning-paths/{learningPathId}/publish",
      tags,
      ...forwardedToCore,
      summary: "Publish a learning path (forwarded to the core)",
      security: bearerSecurity,
      request: { params: idParams, headers: idempotencyHeader },
      responses: {
        200: { description: "Published", content: json(learningPathSchema) },
        ...forwardedErrors,
        ...conflict,
      },
    }),
    forward,
  );
}

/**
 * Media records are written only by the media worker, after it stored and inspected the object
 * (the core accepts them from its principal alone). The api worker forwards every other
 * `/dashboard/*` path, so it refuses these itself: creating, replacing or deleting a media
 * record, and the media host's upload routes, are 403 `auth.forbidden` here and never reach
 * the core. Reading media and editing its translations/tags (`PATCH /dashboard/media/:id`) stay.
 */
export function refuseMediaWrites(app: OpenAPIHono<AppEnv>): void {
  const refuse = () => {
    throw new QuestlineError(
      "auth.forbidden",
      "Media is uploaded and deleted through the media service, not this API (see workers/media/README.md)",
    );
  };
  app.on(["POST", "PUT", "DELETE"], ["/dashboard/media", "/dashboard/media/*"], refuse);
  app.on("PATCH", ["/dashboard/media", "/dashboard/media/*/*"], refuse);
}
