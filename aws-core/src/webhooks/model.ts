import { z } from "@hono/zod-openapi";
import { entityIdSchema } from "@questline/contracts";
import { WEBHOOK_EVENT_TYPES } from "./catalog";

/** Whether `http://` loopback URLs are accepted: outside Lambda only (the local stack and tests). */
export function loopbackAllowed(): boolean {
  return !process.env.AWS_LAMBDA_FUNCTION_NAME;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why a URL cannot be an endpoint, or undefined when it can. */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) && loopbackAllowed()) return undefined;
  return loopbackAllowed() ? "must be https (or http on 127.0.0.1/localhost locally)" : "must be https";
}

const urlSchema = z
  .string()
  .max(2_048)
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({
    description: "Where deliveries are POSTed: https (http on loopback only locally)",
    example: "https://example.com/hooks/questline",
  });

const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .max(WEBHOOK_EVENT_TYPES.length)
  .openapi({ description: "The event types to deliver (docs/events.md); empty: every type" });

const rateLimitSchema = z
  .number()
  .int()
  .min(1)
  .max(1_000)
  .nullable()
  .openapi({ description: "Deliveries per second this endpoint accepts (stored; not enforced yet)" });

export const createEndpointSchema = z.strictObject({
  endpointId: entityIdSchema.optional().openapi({ description: "Chosen id (default: generated)" }),
  url: urlSchema,
  description: z.string().max(500).default(""),
  eventTypes: eventTypesSchema.default([]),
  enabled: z.boolean().default(true),
  rateLimitPerSecond: rateLimitSchema.default(null),
});

export const updateEndpointSchema = z.strictObject({
  url: urlSchema.optional(),
  description: z.string().max(500).optional(),
  eventTypes: eventTypesSchema.optional(),
  enabled: z.boolean().optional(),
  rateLimitPerSecond: rateLimitSchema.optional(),
});

export const endpointSchema = z
  .object({
    endpointId: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    rateLimitPerSecond: z.number().int().nullable(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: "While a rotated-out secret still signs (both signatures are sent), until when" }),
    version: z.number().int().positive(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WebhookEndpoint");

export const endpointWithSecretSchema = endpointSchema
  .extend({
    secret: z.string().openapi({
      description: "The signing secret (`whsec_…`): shown only in this answer",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }),
  })
  .openapi("WebhookEndpointWithSecret");

export const attemptSchema = z
  .object({
    attempt: z.number().int().positive(),
    at: z.string(),
    statusCode: z.number().int().nullable().openapi({ description: "The receiver's status; null when none came" }),
    durationMs: z.number().int(),
    error: z.string().nullable().openapi({ description: "Why no 2xx came (timeout, connection refused, status)" }),
    responseExcerpt: z.string().nullable().openapi({ description: "The response body's first 256 characters" }),
  })
  .openapi("WebhookAttempt");

export const deliverySchema = z
  .object({
    deliveryId: z.string(),
    endpointId: z.string(),
    eventId: z.string().openapi({ description: "The domain event id, sent as `webhook-id`" }),
    eventType: z.string(),
    status: z.enum(["PENDING", "DELIVERED", "FAILED"]),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    attempts: z.array(attemptSchema).openapi({ description: "Every attempt, oldest first (at most the last 20)" }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "The body sent (the domain event envelope)" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WebhookDelivery");
