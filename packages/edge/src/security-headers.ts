import type { Env, MiddlewareHandler } from "hono";

/** Said on every answer: no browser reads a JSON body (or anything else) as script or HTML. */
export const NOSNIFF_HEADERS: Readonly<Record<string, string>> = { "x-content-type-options": "nosniff" };

/**
 * Said on every HTML answer (the api worker's reference page at `/docs`): nothing but this
 * origin's stylesheets and images, no script, no plugins, no forms, no `<base>`, never framed,
 * and no Referer to the sites its links lead to.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const isHtml = (res: Response) => /^\s*text\/html\b/i.test(res.headers.get("content-type") ?? "");

/**
 * Security headers on every answer, the error handler's, 404s and answers forwarded from the
 * core included: `X-Content-Type-Options: nosniff` always; for HTML also the CSP, Referrer-Policy
 * and X-Frame-Options of `HTML_SECURITY_HEADERS`. A route that set its own value of one of
 * those keeps it (the media worker's delivered files carry their own sandboxing CSP). A
 * forwarded answer's headers are immutable: it is copied first. Mount it before the routes
 * (`app.use(securityHeaders())`) — in the api and media workers right after `requestId()`.
 */
export function securityHeaders<E extends Env = Env>(): MiddlewareHandler<E> {
  return async (c, next) => {
    await next();
    const wanted: [string, string][] = Object.entries(NOSNIFF_HEADERS);
    if (isHtml(c.res)) {
      for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) {
        if (!c.res.headers.has(name)) wanted.push([name, value]);
      }
    }
    try {
      for (const [name, value] of wanted) c.res.headers.set(name, value);
    } catch {
      const res = new Response(c.res.body, c.res);
      for (const [name, value] of wanted) res.headers.set(name, value);
      c.res = res;
    }
  };
}
