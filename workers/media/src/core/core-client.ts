import { QuestlineError } from "@questline/contracts/errors";
import { IDEMPOTENCY_KEY_HEADER, type Identity } from "@questline/contracts/identity";
import type { CreateMediaRequest } from "@questline/contracts/media";
import { coreConfigFromEnv, signedForward } from "@questline/edge";
import type { Bindings } from "../env";

/**
 * Media entity writes go to the AWS core through the normal write path: `signedForward`
 * (SigV4, execute-api) with the verified identity as headers. The media id doubles as the
 * idempotency key, so a replayed create cannot make two entities.
 */
interface CoreCall {
  env: Bindings;
  identity: Identity;
  requestId: string;
}

function coreRequest(method: string, idempotencyKey: string): Request {
  return new Request("https://media.internal/", {
    method,
    headers: { "content-type": "application/json", [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
  });
}

/** Creates the Media entity; returns the core's JSON. Throws a QuestlineError on any failure. */
export async function createMediaEntity(call: CoreCall, media: CreateMediaRequest): Promise<unknown> {
  const response = await signedForward({
    request: coreRequest("POST", `media-create-${media.mediaId}`),
    identity: call.identity,
    requestId: call.requestId,
    config: coreConfigFromEnv(call.env),
    path: "/dashboard/media",
    body: new TextEncoder().encode(JSON.stringify(media)).buffer as ArrayBuffer,
  });
  if (!response.ok) throw await refused(response);
  return response.json();
}

/** Deletes the Media entity; `false` when the core does not know it. */
export async function deleteMediaEntity(call: CoreCall, mediaId: string): Promise<boolean> {
  const response = await signedForward({
    request: coreRequest("DELETE", `media-delete-${mediaId}`),
    identity: call.identity,
    requestId: call.requestId,
    config: coreConfigFromEnv(call.env),
    path: `/dashboard/media/${encodeURIComponent(mediaId)}`,
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return false;
  }
  if (!response.ok) throw await refused(response);
  await response.body?.cancel();
  return true;
}

async function refused(response: Response): Promise<QuestlineError> {
  const text = await response.text().catch(() => "");
  console.error(
    JSON.stringify({ msg: "core refused media entity", status: response.status, body: text.slice(0, 500) }),
  );
  return new QuestlineError("upstream.unavailable", `The core refused the media entity (${response.status})`);
}
