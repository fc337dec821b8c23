import { z } from "@hono/zod-openapi";
import { errorBodySchema } from "@questline/contracts";

/**
 * Contract schemas are built with the contracts package's zod copy (4.6.7), while
 * @hono/zod-openapi resolves the root one (4.6.6, pinned by the vitest plugin). They are the
 * same at run time (validation and OpenAPI generation read `_zod` internals); this cast only
 * bridges the two declaration copies.
 */
export function contractSchema(schema: unknown): z.ZodType {
  return schema as z.ZodType;
}

export const bearerSecurity = [{ bearerAuth: [] }];

/**
 * Marks a documented route that the edge validates and forwards to the core: in the merged
 * document (scripts/openapi.ts) the core's definition of the operation replaces the edge's.
 */
export const FORWARDED_EXTENSION = "x-questline-forwarded";
export const forwardedToCore = { [FORWARDED_EXTENSION]: "core" } as const;

const errorContent = { "application/json": { schema: contractSchema(errorBodySchema) } };

/** The error responses every authenticated route can produce. */
export const authErrorResponses = {
  400: { description: "Invalid request (the failing field is in `error.details`)", content: errorContent },
  401: { description: "Missing or invalid access token (with `WWW-Authenticate`)", content: errorContent },
  403: { description: "Valid token without the rights for this route", content: errorContent },
  429: {
    description:
      "Rate limited (`request.rate_limited`, with `Retry-After`): per client address before authentication, per workspace and per user after it",
    content: errorContent,
  },
} as const;

export const notFoundResponse = { 404: { description: "Not found in this workspace", content: errorContent } } as const;
export const upstreamResponses = {
  500: {
    description:
      "Internal error, or a deployment missing a required secret (`internal.misconfigured`); no `Retry-After`: retrying will not help",
    content: errorContent,
  },
  502: { description: "The core gave an invalid answer (`upstream.invalid_response`)", content: errorContent },
  503: { description: "Core unreachable, unavailable or throttled (with `Retry-After`)", content: errorContent },
  504: { description: "Core timed out (with `Retry-After`)", content: errorContent },
} as const;

export const langQuery = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
  .optional()
  .openapi({ description: "Language to show; falls back to the item's default language", example: "en" });
