import { REQUEST_ID_HEADER } from "@questline/contracts";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { LambdaEvent } from "hono/aws-lambda";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testWorkspace } from "../../test/support/callers";
import { startFakeIndexer } from "../../test/support/fake-indexer";
import { identityHeaders } from "../../test/support/identity";
import { indexedImage, streamRecord } from "../../test/support/stream-records";
import { startWebhookReceiver } from "../../test/support/webhook-receiver";
import { resetIndexerSigningKeys } from "../sync";

const lambdaContext = {
  awsRequestId: "lambda-req-1",
  functionName: "questline-api",
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/**
 * The `Authorization` header API Gateway passes on after it verified the SigV4 signature: the
 * signature covers the identity headers (the core refuses identity headers outside SignedHeaders).
 */
function verifiedAuthorization(headers: Record<string, string>): string {
  const signed = ["host", ...Object.keys(headers).map((name) => name.toLowerCase())].sort().join(";");
  return `AWS4-HMAC-SHA256 Credential=AKIDLOCALAPI/20260101/eu-west-1/execute-api/aws4_request, SignedHeaders=${signed}, Signature=${"0".repeat(64)}`;
}

function httpEvent(method: string, path: string, headers: Record<string, string>, body?: string): LambdaEvent {
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "core.local", ...headers, authorization: verifiedAuthorization(headers) },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "core.local",
      domainPrefix: "core",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "apigw-req-1",
      routeKey: "$default",
      stage: "$default",
      time: "01/Jan/2026:00:00:00 +0000",
      timeEpoch: 1_767_225_600_000,
    },
    isBase64Encoded: false,
    ...(body !== undefined ? { body } : {}),
  };
  // @types/aws-lambda's event and hono's LambdaEvent differ in optional details.
  return event as unknown as LambdaEvent;
}

describe("handlers/api", () => {
  it("serves the app from an API Gateway v2 event, with the Lambda request id", async () => {
    const { handler } = await import("./api");
    const headers = identityHeaders();
    const created = (await handler(
      httpEvent(
        "POST",
        "/dashboard/learning-paths",
        { ...headers, "content-type": "application/json", "x-idempotency-key": "lambda-key" },
        JSON.stringify({
          title: "Via Lambda",
          estimatedDuration: 1,
          defaultLang: "en",
          translations: [{ lang: "en", title: "Via Lambda" }],
        }),
      ),
      lambdaContext,
    )) as Exclude<APIGatewayProxyResultV2, string>;
    expect(created.statusCode).toBe(201);
    expect(created.headers?.[REQUEST_ID_HEADER]).toBe("lambda-req-1");
    expect(JSON.parse(created.body ?? "{}")).toMatchObject({ title: "Via Lambda", version: 1 });

    const missing = (await handler(
      httpEvent("GET", "/dashboard/learning-paths/nope", headers),
      lambdaContext,
    )) as Exclude<APIGatewayProxyResultV2, string>;
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body ?? "{}").error).toMatchObject({
      code: "resource.not_found",
      requestId: "lambda-req-1",
    });
  });
});

describe("handlers/stream", () => {
  const KEYS = { accessKeyId: "AKIDHANDLER", secretAccessKey: "handler-secret" };
  let indexer: Awaited<ReturnType<typeof startFakeIndexer>>;
  beforeAll(async () => {
    indexer = await startFakeIndexer({ [KEYS.accessKeyId]: KEYS.secretAccessKey });
    Object.assign(process.env, {
      INDEXER_URL: indexer.url,
      INDEXER_ACCESS_KEY_ID: KEYS.accessKeyId,
      INDEXER_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    });
    resetIndexerSigningKeys();
  });
  afterAll(async () => {
    resetIndexerSigningKeys();
    await indexer.close();
  });

  it("signs with the keys from the environment and acknowledges the batch", async () => {
    const { handler } = await import("./stream");
    const out = await handler({
      Records: [streamRecord("INSERT", "77", { newImage: indexedImage("abcdefghij", "lp-h", 1) })],
    });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(indexer.received[0]?.signature).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
  });

  it("delivers the webhooks of an inserted outbox beside indexing it, and acknowledges the batch", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const { admin, workspaceId } = testWorkspace();
      const hook = await admin.json<{ secret: string }>(
        "POST",
        "/dashboard/webhooks/endpoints",
        { url: receiver.url, eventTypes: ["badge.earned"] },
        201,
      );
      const event = {
        id: "run-h:badge.earned:b-1",
        type: "badge.earned",
        version: 1,
        workspaceId,
        userId: "u-1",
        occurredAt: new Date().toISOString(),
        rootEventId: "run-h",
        data: { badgeConfigurationId: "b-1" },
      };
      const { handler } = await import("./stream");
      const out = await handler({
        Records: [
          streamRecord("INSERT", "78", { newImage: indexedImage("abcdefghij", "lp-i", 1) }),
          streamRecord("INSERT", "79", {
            newImage: { pk: `WS#${workspaceId}#USER#u-1`, sk: "ALOG#run-h", domainEvents: [event] },
          }),
        ],
      });
      expect(out).toEqual({ batchItemFailures: [] });
      expect(receiver.received).toHaveLength(1);
      const [got] = receiver.received;
      if (!got) throw new Error("nothing received");
      expect(new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>)).toEqual(event);
    } finally {
      await receiver.stop();
    }
  });
});
