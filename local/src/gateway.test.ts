import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApiHandler, LOCAL_EDGE_CREDENTIALS, type LocalGateway, startLocalGateway } from "./gateway";

describe("local API gateway (HTTP API + IAM auth)", () => {
  const calls: APIGatewayProxyEventV2[] = [];
  let nextResult: APIGatewayProxyResultV2 = { statusCode: 200, body: "{}" };
  const handler: ApiHandler = async (event) => {
    calls.push(event);
    return nextResult;
  };
  let gateway: LocalGateway;
  const signer = new AwsClient({
    accessKeyId: LOCAL_EDGE_CREDENTIALS.accessKeyId,
    secretAccessKey: LOCAL_EDGE_CREDENTIALS.secretAccessKey,
    service: "execute-api",
    region: "eu-west-1",
    retries: 0,
  });

  beforeAll(async () => {
    gateway = await startLocalGateway({ handler });
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    calls.length = 0;
    nextResult = { statusCode: 200, body: "{}" };
  });

  it("invokes the handler with a payload-format-2.0 event for a signed request", async () => {
    nextResult = { statusCode: 201, headers: { "content-type": "application/json" }, body: '{"ok":true}' };
    const res = await signer.fetch(`${gateway.url}/dashboard/learning-paths?tag=a&tag=b&lang=en`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-ql-workspace-id": "QLdemoWS01", cookie: "a=1; b=2" },
      body: JSON.stringify({ title: "Hello" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    const event = calls[0]!;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/dashboard/learning-paths",
      rawQueryString: "tag=a&tag=b&lang=en",
      queryStringParameters: { tag: "a,b", lang: "en" },
      cookies: ["a=1", "b=2"],
      body: '{"title":"Hello"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: "000000000000",
        domainName: new URL(gateway.url).host,
        stage: "$default",
        routeKey: "$default",
        http: { method: "POST", path: "/dashboard/learning-paths", sourceIp: "127.0.0.1" },
      },
    });
    expect(event.headers["x-ql-workspace-id"]).toBe("QLdemoWS01");
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((h) => h === h.toLowerCase())).toBe(true);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe("number");
    const authorizer = (event.requestContext as unknown as { authorizer: { iam: Record<string, unknown> } }).authorizer;
    expect(authorizer.iam).toMatchObject({
      accessKey: LOCAL_EDGE_CREDENTIALS.accessKeyId,
      userArn: expect.stringMatching(/^arn:aws:iam::000000000000:user\//),
    });
  });

  it("base64-encodes a binary request body and omits body and query for a plain GET", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await signer.fetch(`${gateway.url}/upload`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(calls[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(calls[0]?.body ?? "", "base64")).toEqual(Buffer.from(bytes));

    await signer.fetch(`${gateway.url}/app/missions`);
    expect(calls[1]).toMatchObject({ rawPath: "/app/missions", rawQueryString: "", isBase64Encoded: false });
    expect(calls[1]?.body).toBeUndefined();
    expect(calls[1]?.queryStringParameters).toBeUndefined();
  });

  it("maps a base64 result body, cookies and headers back to HTTP", async () => {
    nextResult = {
      statusCode: 202,
      headers: { "content-type": "image/png", "x-custom": "yes" },
      cookies: ["s=1; Path=/", "t=2"],
      body: Buffer.from([137, 80, 78, 71]).toString("base64"),
      isBase64Encoded: true,
    };
    const res = await signer.fetch(`${gateway.url}/media`);
    expect(res.status).toBe(202);
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.getSetCookie()).toEqual(["s=1; Path=/", "t=2"]);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
  });

  it("answers 200 JSON when the handler returns a value without statusCode", async () => {
    nextResult = { hello: "world" } as unknown as APIGatewayProxyResultV2;
    const res = await signer.fetch(`${gateway.url}/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("answers 500 like API Gateway when the handler throws", async () => {
    const failing = await startLocalGateway({
      handler: async () => {
        throw new Error("boom");
      },
    });
    try {
      const res = await signer.fetch(`${failing.url}/x`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: "Internal Server Error" });
    } finally {
      await failing.stop();
    }
  });

  it("rejects an unsigned request with 403 without invoking the handler", async () => {
    const res = await fetch(`${gateway.url}/app/missions`);
    expect(res.status).toBe(403);
    expect(await res.json()).toHaveProperty("message");
    expect(calls).toHaveLength(0);
  });

  it("rejects a tampered body", async () => {
    const signed = await signer.sign(`${gateway.url}/app/activity-logs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"value":1}',
    });
    const res = await fetch(signed.url, { method: "POST", headers: signed.headers, body: '{"value":1000}' });
    expect(res.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it("rejects a tampered path and an unknown secret", async () => {
    const signed = await signer.sign(`${gateway.url}/app/a`);
    const res = await fetch(`${gateway.url}/app/b`, { headers: signed.headers });
    expect(res.status).toBe(403);
    const stranger = new AwsClient({
      accessKeyId: LOCAL_EDGE_CREDENTIALS.accessKeyId,
      secretAccessKey: "not-the-secret",
      service: "execute-api",
      region: "eu-west-1",
      retries: 0,
    });
    expect((await stranger.fetch(`${gateway.url}/app/a`)).status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it("rejects a signature older than five minutes", async () => {
    const old = new Date(Date.now() - 6 * 60 * 1000);
    const datetime = old.toISOString().replace(/[:-]|\.\d{3}/g, "");
    const signed = await signer.sign(`${gateway.url}/app/missions`, { aws: { datetime } });
    const res = await fetch(signed.url, { headers: signed.headers });
    expect(res.status).toBe(403);
    expect((await res.json()) as { message: string }).toEqual({ message: expect.stringMatching(/expired/i) });
    expect(calls).toHaveLength(0);
  });

  it("rejects a signature for another region or service", async () => {
    for (const scope of [
      { region: "us-east-1", service: "execute-api" },
      { region: "eu-west-1", service: "lambda" },
    ]) {
      const other = new AwsClient({ ...LOCAL_EDGE_CREDENTIALS, ...scope, retries: 0 });
      expect((await other.fetch(`${gateway.url}/app/missions`)).status).toBe(403);
    }
    expect(calls).toHaveLength(0);
  });
});
