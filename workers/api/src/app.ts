import { OpenAPIHono, z } from "@hono/zod-openapi";
import { validationError } from "@questline/contracts";
import {
  clientRateLimit,
  errorHandler,
  jsonBody,
  notFoundHandler,
  principalRateLimit,
  requestId,
  requireApp,
  requireDashboard,
  requiredConfiguration,
  securityHeaders,
} from "@questline/edge";
import openApiDocument from "../../../docs/openapi.json";
import { registerCatalogRoutes } from "./catalog/routes";
import { type AppEnv, REQUIRED_BINDINGS } from "./env";
import { registerFlagRoutes } from "./forward/flags";
import { forwardToCore, registerForwardedRoutes } from "./forward/routes";
import { DOCS_CSS, DOCS_ICON, renderDocsPage } from "./http/docs-page";
import { authErrorResponses } from "./http/openapi";

/** Adds routes to the app (see `createApp`'s `extraRoutes`). */
export type RegisterRoutes = (app: OpenAPIHono<AppEnv>) => void;

export interface CreateAppOptions {
  /**
   * Routes registered after the edge's own and before the catch-all forward, behind the same
   * auth and rate limits. Production passes none (`src/index.ts`); the catalog-search bench
   * mounts its LIKE baseline this way (`bench/catalog-search/worker/`), so no bench code is in
   * the deployed bundle.
   */
  extraRoutes?: readonly RegisterRoutes[];
}

let docsHtml: string | undefined;

/** The api worker: auth on every /app and /dashboard path, catalog from D1, the rest forwarded. */
export function createApp(options: CreateAppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error as z.ZodError);
    },
  });
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  app.use(requestId<AppEnv>());
  // nosniff on every answer (the core's forwarded ones too); the strict CSP, no-referrer and
  // no framing on HTML (the reference page).
  app.use(securityHeaders<AppEnv>());
  // A missing secret is a clear 500 `internal.misconfigured` naming it, on every request.
  app.use(requiredConfiguration<AppEnv>(REQUIRED_BINDINGS));
  // The budget per client address comes before authentication: floods of bad tokens get 429.
  app.use(clientRateLimit<AppEnv>());

  // Every app/dashboard path is authenticated before anything else runs, including paths
  // that end in the catch-all forward; the workspace comes only from the verified token.
  // Then bad input is refused before any route reads it or anything is forwarded: bodies over
  // JSON_BODY_MAX_BYTES (413, from the declared length) and non-JSON bodies (415).
  app.use("/app/*", requireApp<AppEnv>(), principalRateLimit<AppEnv>(), jsonBody());
  app.use("/dashboard/*", requireDashboard<AppEnv>(), principalRateLimit<AppEnv>(), jsonBody());

  app.get("/health", (c) => c.json({ ok: true }));
  app.openapi(
    {
      method: "get",
      path: "/app/whoami",
      tags: ["Session"],
      summary: "The verified identity of the caller",
      security: [{ bearerAuth: [] }],
      responses: {
        200: {
          description: "Identity",
          content: {
            "application/json": {
              schema: z.object({
                workspaceId: z.string(),
                context: z.string(),
                userId: z.string().optional(),
                externalUserId: z.string().optional(),
                lang: z.string().optional(),
              }),
            },
          },
        },
        ...authErrorResponses,
      },
    },
    (c) => {
      const { workspaceId, context, userId, externalUserId, lang } = c.var.identity;
      return c.json({ workspaceId, context, userId, externalUserId, lang }, 200);
    },
  );

  registerCatalogRoutes(app);
  registerForwardedRoutes(app);
  registerFlagRoutes(app);
  for (const register of options.extraRoutes ?? []) register(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Cognito access token (custom:workspace_id, custom:context app|dashboard, custom:role)",
  });
  // The whole API's document (edge, core and media routes, merged by scripts/openapi.ts); this
  // worker's own part is `apiOpenApiDocument()`.
  app.get("/openapi.json", (c) => c.json(openApiDocument));
  // The reference page: static HTML rendered once per isolate from the same document, with a
  // same-origin stylesheet and no script (it works offline and under the strict CSP).
  app.get("/docs", (c) => {
    docsHtml ??= renderDocsPage(openApiDocument);
    return c.html(docsHtml, 200, { "cache-control": "public, max-age=300" });
  });
  app.get("/docs.css", (c) =>
    c.body(DOCS_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=300" }),
  );
  app.get("/docs.svg", (c) =>
    c.body(DOCS_ICON, 200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" }),
  );

  // Everything else under the two prefixes belongs to the core.
  app.all("/app/*", forwardToCore);
  app.all("/dashboard/*", forwardToCore);
  return app;
}

/** This worker's part of the API document (merged with the core's and the media worker's into docs/openapi.json). */
export function apiOpenApiDocument(): Record<string, unknown> {
  return createApp().getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Questline API",
      version: "0.1.0",
      description:
        "Edge API. Catalog search and browse are answered from D1 at the edge; every other /app/* and " +
        "/dashboard/* path is forwarded, SigV4-signed, to the AWS core with the same path.",
    },
  }) as unknown as Record<string, unknown>;
}
