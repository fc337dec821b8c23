import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema";

export type { components, operations, paths };

/** A schema of the document by name: `Schema<"Mission">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** The error body every route answers with on a 4xx/5xx: `{ error: { code, message, … } }`. */
export type ErrorBody = { error: { code: string; message: string; [key: string]: unknown } };

export interface QuestlineClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** The API host, e.g. `http://localhost:8787` locally. */
  baseUrl: string;
  /**
   * The caller's Cognito access token (or a function returning the current one, for refresh).
   * Sent as `Authorization: Bearer …`; never in a query string.
   */
  token?: string | (() => string | Promise<string>);
}

export type QuestlineClient = Client<paths>;

/**
 * A typed client for the whole Questline API (api, media and the core's routes behind the api
 * worker): `client.GET("/app/missions", { params: { query: { limit: 10 } } })` returns
 * `{ data, error, response }` with `data` typed from the document's 2xx schema and `error` from
 * its error body. Paths, parameters and payloads are generated from docs/openapi.json.
 */
export function createQuestlineClient(options: QuestlineClientOptions): QuestlineClient {
  const { token, baseUrl, ...rest } = options;
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ""), ...rest });
  if (token !== undefined) client.use(bearer(token));
  return client;
}

function bearer(token: NonNullable<QuestlineClientOptions["token"]>): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === "function" ? await token() : token;
      request.headers.set("authorization", `Bearer ${value}`);
      return request;
    },
  };
}
