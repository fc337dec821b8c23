import { contractFetch } from "@questline/contract-testing/suite";

/** What the test callers need of an app: Hono's in-process `request`. */
interface Requestable {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

const checked = new WeakMap<Requestable, (path: string, init?: RequestInit) => Promise<Response>>();

/**
 * `app.request`, with every answer checked against docs/openapi.json and the reference
 * (@questline/contract-testing): an undocumented route or an off-schema answer fails the test
 * that produced it, unless the package's pending list names it. CONTRACT_AUDIT=1 reports instead.
 */
export function contractRequest(app: Requestable): (path: string, init?: RequestInit) => Promise<Response> {
  let request = checked.get(app);
  if (!request) {
    request = contractFetch(async (path: string, init?: RequestInit) => await app.request(path, init), {
      audit: process.env.CONTRACT_AUDIT === "1",
    });
    checked.set(app, request);
  }
  return request;
}
