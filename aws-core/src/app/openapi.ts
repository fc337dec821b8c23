import { createApp } from "./create-app";

/** The core's part of the API document: every documented route of the app (paths as clients see them). */
export function coreOpenApiDocument(): Record<string, unknown> {
  const app = createApp();
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Cognito access token (dashboard tokens carry `custom:role`; app tokens act as a user or M2M)",
  });
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "Questline core API", version: "1" },
  }) as unknown as Record<string, unknown>;
}
