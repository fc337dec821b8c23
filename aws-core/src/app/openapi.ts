import { z } from "@hono/zod-openapi";
import { DOMAIN_EVENT_TYPES, domainEventDescription, domainEventSchema } from "../event-bus";
import { createApp } from "./create-app";

/** Standard Webhooks headers on every delivery (docs/webhooks.md). */
const webhookHeaders = z.object({
  "webhook-id": z.string().openapi({
    description: "The event's id: deduplicate by it",
    example: "run-42:badge.earned:FUMzPf00hz_kcj2R2Hlzq",
  }),
  "webhook-timestamp": z.string().openapi({ description: "Unix seconds of this attempt", example: "1765188000" }),
  "webhook-signature": z.string().openapi({
    description: "`v1,<base64 HMAC-SHA256 of <id>.<timestamp>.<body>>`, space-separated (two during a secret rotation)",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  }),
});

/** The core's part of the API document: every documented route of the app (paths as clients see them). */
export function coreOpenApiDocument(): Record<string, unknown> {
  const app = createApp();
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Cognito access token (dashboard tokens carry `custom:role`; app tokens act as a user or M2M)",
  });
  // The event catalog as OpenAPI 3.1 webhooks: what a subscribed endpoint receives.
  for (const type of DOMAIN_EVENT_TYPES) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      operationId: `webhooks/${type}`,
      tags: ["Webhooks"],
      summary: domainEventDescription(type),
      security: [{ webhookSignature: [] }],
      request: {
        headers: webhookHeaders,
        body: { required: true, content: { "application/json": { schema: domainEventSchema(type) } } },
      },
      responses: {
        200: { description: "Any 2xx acknowledges the delivery; anything else is retried (docs/webhooks.md)" },
      },
    });
  }
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "Questline core API", version: "1" },
  }) as unknown as Record<string, unknown>;
}
