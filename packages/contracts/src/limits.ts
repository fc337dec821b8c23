/**
 * Documented limits on client input, shared by the edge workers and the AWS core. A request
 * over a limit gets a 4xx with a stable code and nothing is written.
 */

/**
 * Largest JSON request body of the API, bytes (256 KiB): the edge answers 413
 * `request.too_large` from the declared `Content-Length` before reading the body (or as soon
 * as a body without a length passes it). Media uploads have their own, larger limits
 * (`workers/media`).
 */
export const JSON_BODY_MAX_BYTES = 256 * 1024;

/** Deepest nesting of a JSON request body (DynamoDB's own limit is 32 levels): 400 `request.too_deep`. */
export const JSON_MAX_DEPTH = 32;

/** Media types accepted as JSON request bodies: `application/json` and `application/*+json`, any parameters. */
export const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;
