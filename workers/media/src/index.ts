import {
  clientRateLimit,
  errorHandler,
  jsonBody,
  notFoundHandler,
  principalRateLimit,
  requestId,
  requireDashboard,
  requiredConfiguration,
  securityHeaders,
} from "@questline/edge";
import { Hono } from "hono";
import { requireAnyToken } from "./auth/private-access";
import { serveMedia } from "./delivery/serve";
import { type AppEnv, type Bindings, REQUIRED_BINDINGS } from "./env";
import { createSignedUrl, deleteMedia } from "./manage";
import { cleanupAbandonedUploads } from "./upload/cleanup";
import { uploadDirect } from "./upload/direct";
import { multipartRoutes } from "./upload/multipart";
import { presignRoutes } from "./upload/presign";

export const app = new Hono<AppEnv>();

app.use(requestId<AppEnv>());
// nosniff on every answer (JSON, errors, 404s); delivered files keep their own sandboxing CSP.
app.use(securityHeaders<AppEnv>());
app.onError(errorHandler);
app.notFound(notFoundHandler);
// A missing secret is a clear 500 `internal.misconfigured` naming it, on every request.
app.use(requiredConfiguration<AppEnv>(REQUIRED_BINDINGS));
// The budget per client address comes before authentication: floods of bad tokens get 429.
app.use(clientRateLimit<AppEnv>());

// Delivery: public objects need nothing, private ones a token of their workspace or a signed URL.
app.on(["GET", "HEAD"], "/files/*", serveMedia);
app.post("/media/signed-urls", requireAnyToken, principalRateLimit<AppEnv>(), jsonBody(), createSignedUrl);

// Admin uploads and deletes: dashboard token, editor role or above (for every method).
const dashboard = new Hono<AppEnv>();
dashboard.use(requireDashboard<AppEnv>({ write: true }), principalRateLimit<AppEnv>());
// The JSON routes take the API's JSON limits (413 / 415); file bodies keep the upload limits.
dashboard.on(
  "POST",
  ["/media/multipart", "/media/multipart/:mediaId/complete", "/media/upload-url/:mediaId/complete"],
  jsonBody(),
);
dashboard.route("/media/multipart", multipartRoutes);
dashboard.route("/media/upload-url", presignRoutes);
dashboard.on(["POST", "PUT"], "/media", uploadDirect);
dashboard.delete("/media/:mediaId", deleteMedia);
app.route("/dashboard", dashboard);

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(cleanupAbandonedUploads(env, Date.now()).then(() => undefined));
  },
} satisfies ExportedHandler<Bindings>;
