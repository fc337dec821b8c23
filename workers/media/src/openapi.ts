import { OpenAPIHono, z } from "@hono/zod-openapi";
import { errorBodySchema } from "@questline/contracts/errors";
import { MEDIA_FILE_TYPES, MEDIA_VISIBILITIES, mediaSchema, mediaTranslationSchema } from "@questline/contracts/media";
import { SIGNED_URL_DEFAULT_SECONDS, SIGNED_URL_MAX_SECONDS } from "./auth/signed-url";
import { ALLOWED_CONTENT_TYPES, PRESIGNED_URL_SECONDS } from "./upload/presign";

/**
 * The media worker's routes as an OpenAPI 3.1 document (merged into docs/openapi.json by
 * scripts/openapi.ts). The routes themselves are plain Hono with `zod/mini` validation, which
 * keeps the worker's bundle small; this module is documentation only and is never imported by
 * `index.ts`. `openapi.test.ts` fails when a route of the app is missing here.
 *
 * Every operation names the media host in its `servers`: uploads and file delivery are served
 * by this worker, not by the API host.
 */

/** Contract schemas come from the contracts package's zod copy; same run-time shape. */
const contract = (schema: unknown) => schema as z.ZodType;

const servers = [
  { url: "http://localhost:8788", description: "Local stack (`npm run dev`)" },
  {
    url: "https://{mediaHost}",
    description: "A deployment's media host",
    variables: { mediaHost: { default: "media.questline.example", description: "The media worker's hostname" } },
  },
];
const tags = ["Media uploads"];
const bearer = [{ bearerAuth: [] }];

const errorContent = { "application/json": { schema: contract(errorBodySchema) } };
const error = (description: string) => ({ description, content: errorContent });
const authErrors = {
  400: error("Invalid request (`request.validation_failed`, failing fields in `error.details`)"),
  401: error("Missing or invalid access token"),
  403: error("The token lacks the rights (dashboard token, editor role or above)"),
  429: error(
    "Rate limited (`request.rate_limited`, with `Retry-After`): per client address before authentication, per workspace and per user after it",
  ),
  500: error("Unexpected failure, or a deployment missing a required secret (`internal.misconfigured`)"),
  503: error("The core could not record the media entity (with `Retry-After`)"),
} as const;
const jsonErrors = {
  413: error("Body over 256 KiB, or a declared file size over the limit (`request.too_large`)"),
  415: error("Body is not JSON (`request.unsupported_media_type`)"),
} as const;
const notFound = { 404: error("No such media or upload in this workspace") } as const;

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema } } });

const mediaIdParam = z.object({
  mediaId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .openapi({ param: { name: "mediaId", in: "path" }, example: "FUMzPf00hz_kcj2R2Hlzq" }),
});
const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/);
const translations = z.array(contract(mediaTranslationSchema)).max(10);
const uploadMetadata = {
  fileName: z.string().min(1).max(255),
  visibility: z.enum(MEDIA_VISIBILITIES).default("private"),
  sha256: sha256.optional(),
  tags: z.array(z.string().min(1).max(128)).max(50).default([]),
  translations: translations.default([]),
};

/** What an upload answers: the core's Media entity plus the delivery URL on this host. */
// One object (not an intersection): the entity is strict, so `allOf` with a second object would
// forbid `url` (JSON Schema's additionalProperties sees only its own branch's properties).
const storedMedia = (contract(mediaSchema) as z.ZodObject)
  .extend({ url: z.string().url() })
  .openapi("StoredMedia", { description: "The recorded Media entity, with its delivery URL on the media host" });

const checksumHeader = z.object({
  "x-checksum-sha256": sha256
    .optional()
    .openapi({ param: { name: "x-checksum-sha256", in: "header" }, description: "SHA-256 of the bytes sent (hex)" }),
});

const fileKeyParams = z.object({
  workspaceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10}$/)
    .openapi({ param: { name: "workspaceId", in: "path" } }),
  visibility: z.enum(MEDIA_VISIBILITIES).openapi({ param: { name: "visibility", in: "path" } }),
  mediaId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .openapi({ param: { name: "mediaId", in: "path" } }),
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
    .openapi({ param: { name: "fileName", in: "path" } }),
});
const fileQuery = z.object({
  exp: z.coerce
    .number()
    .int()
    .optional()
    .openapi({ param: { name: "exp", in: "query" }, description: "Signed URL: expiry (unix seconds)" }),
  sig: z
    .string()
    .optional()
    .openapi({ param: { name: "sig", in: "query" }, description: "Signed URL: base64url HMAC-SHA256 signature" }),
  download: z
    .string()
    .optional()
    .openapi({ param: { name: "download", in: "query" }, description: "Present: `Content-Disposition: attachment`" }),
});
const fileHeaders = z.object({
  range: z
    .string()
    .optional()
    .openapi({ param: { name: "range", in: "header" }, description: "One byte range, e.g. `bytes=0-1023`" }),
  "if-none-match": z
    .string()
    .optional()
    .openapi({ param: { name: "if-none-match", in: "header" } }),
});
const fileResponses = (withBody: boolean) => {
  const content = withBody ? { "*/*": { schema: z.string().openapi({ format: "binary" }) } } : undefined;
  return {
    200: { description: "The file", ...(content ? { content } : {}) },
    206: { description: "The requested byte range", ...(content ? { content } : {}) },
    304: { description: "Not modified (`If-None-Match` / `If-Modified-Since`)" },
    401: error("Private media without a signed URL or a valid token"),
    403: error("A signed URL that is expired or wrong, or a token of another workspace"),
    404: error("No such file"),
    412: error("`If-Match` / `If-Unmodified-Since` failed (`media.precondition_failed`)"),
    416: error("Range not satisfiable"),
    429: error("Rate limited per client address (`request.rate_limited`, with `Retry-After`)"),
  };
};
/** Public files need nothing; private ones a signed URL or a bearer token of their workspace. */
const fileSecurity: Record<string, string[]>[] = [{}, { signedUrl: [] }, { bearerAuth: [] }];

const multipartPart = z.object({
  partNumber: z.number().int().positive(),
  etag: z.string(),
  size: z.number().int().positive(),
  sha256: z.string(),
});

/** The media worker's document (OpenAPI 3.1), paths as clients call them on the media host. */
export function mediaOpenApiDocument(): Record<string, unknown> {
  const app = new OpenAPIHono();
  const r = app.openAPIRegistry;
  r.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Cognito access token",
  });
  r.registerComponent("securitySchemes", "signedUrl", {
    type: "apiKey",
    in: "query",
    name: "sig",
    description:
      "A signed URL from `POST /media/signed-urls`: `?exp=<unix seconds>&sig=<base64url HMAC-SHA256>` over the key and expiry",
  });

  for (const method of ["get", "head"] as const) {
    r.registerPath({
      method,
      path: "/files/{workspaceId}/{visibility}/{mediaId}/{fileName}",
      operationId: method === "get" ? "getMediaFile" : "headMediaFile",
      tags: ["Media delivery"],
      summary: method === "get" ? "Download a media file" : "A media file's headers",
      description:
        "Public files are served to anyone (edge-cached); private files need a signed URL or a bearer token of the file's workspace. Supports `Range`, `ETag` and conditional requests.",
      servers,
      security: fileSecurity,
      request: { params: fileKeyParams, query: fileQuery, headers: fileHeaders },
      responses: fileResponses(method === "get"),
    });
  }

  r.registerPath({
    method: "post",
    path: "/media/signed-urls",
    operationId: "createMediaSignedUrl",
    tags: ["Media delivery"],
    summary: "Sign a short-lived URL for a private file",
    description: "Any verified access token (app or dashboard) of the file's workspace.",
    servers,
    security: bearer,
    request: {
      body: body(
        z
          .object({
            key: z.string().min(1).max(512).openapi({ example: "wsMediaAAA/private/FUMzPf00hz/photo.png" }),
            expiresIn: z.number().int().positive().max(SIGNED_URL_MAX_SECONDS).default(SIGNED_URL_DEFAULT_SECONDS),
          })
          .strict(),
      ),
    },
    responses: {
      200: json(z.object({ url: z.string().url(), expiresAt: z.string().datetime() }), "The signed URL"),
      ...authErrors,
      ...notFound,
      ...jsonErrors,
    },
  });

  for (const method of ["post", "put"] as const) {
    r.registerPath({
      method,
      path: "/dashboard/media",
      operationId: method === "post" ? "uploadMedia" : "uploadMediaPut",
      tags,
      summary: method === "post" ? "Upload a file (direct)" : "Upload a file (direct, PUT)",
      description:
        "The body is the file, streamed into storage; metadata comes in the query. The type is detected from the bytes. Files over the direct limit (100 MiB by default) use multipart uploads.",
      servers,
      security: bearer,
      request: {
        query: z.object({
          fileName: uploadMetadata.fileName.openapi({ param: { name: "fileName", in: "query" } }),
          visibility: uploadMetadata.visibility.openapi({ param: { name: "visibility", in: "query" } }),
          sha256: sha256.optional().openapi({ param: { name: "sha256", in: "query" } }),
          tags: z
            .string()
            .optional()
            .openapi({ param: { name: "tags", in: "query" }, description: "Comma-separated tags" }),
          translations: z
            .string()
            .optional()
            .openapi({ param: { name: "translations", in: "query" }, description: "JSON array of translations" }),
        }),
        headers: checksumHeader,
        body: {
          required: true,
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
      },
      responses: {
        201: json(storedMedia, "Stored and recorded"),
        ...authErrors,
        409: error("The declared SHA-256 differs from the bytes (`media.checksum_mismatch`)"),
        413: error("Over the direct upload limit (`request.too_large`)"),
        415: error("The bytes are not an accepted media type"),
      },
    });
  }

  r.registerPath({
    method: "delete",
    path: "/dashboard/media/{mediaId}",
    operationId: "deleteMedia",
    tags,
    summary: "Delete a media entity and its file",
    servers,
    security: bearer,
    request: { params: mediaIdParam },
    responses: {
      200: json(z.object({ mediaId: z.string(), deleted: z.literal(true) }), "Deleted"),
      ...authErrors,
      ...notFound,
    },
  });

  r.registerPath({
    method: "get",
    path: "/dashboard/media/upload-url",
    operationId: "getMediaUploadUrl",
    tags,
    summary: "A presigned URL to upload a file straight to storage",
    description: `PUT the file to \`uploadUrl\` with the returned \`metadataHeaders\` within ${PRESIGNED_URL_SECONDS} s, then call \`POST /dashboard/media/upload-url/{mediaId}/complete\`.`,
    servers,
    security: bearer,
    request: {
      query: z.object({
        contentType: z.enum(ALLOWED_CONTENT_TYPES).openapi({ param: { name: "contentType", in: "query" } }),
        fileName: z
          .string()
          .min(1)
          .max(255)
          .openapi({ param: { name: "fileName", in: "query" } }),
        fileSize: z.coerce
          .number()
          .int()
          .positive()
          .openapi({ param: { name: "fileSize", in: "query" } }),
        fileType: z.enum(MEDIA_FILE_TYPES).openapi({ param: { name: "fileType", in: "query" } }),
        scope: z
          .literal("workspace")
          .default("workspace")
          .openapi({ param: { name: "scope", in: "query" } }),
      }),
    },
    responses: {
      200: json(
        z.object({
          uploadUrl: z.string().url(),
          mediaId: z.string(),
          expiresIn: z.number().int(),
          metadataHeaders: z.record(z.string(), z.string()),
        }),
        "Where to PUT the file",
      ),
      ...authErrors,
      413: error("The declared file size is over the limit (`request.too_large`)"),
    },
  });

  r.registerPath({
    method: "post",
    path: "/dashboard/media/upload-url/{mediaId}/complete",
    operationId: "completeMediaUploadUrl",
    tags,
    summary: "Finish a presigned upload: validate the file and record the media",
    servers,
    security: bearer,
    request: {
      params: mediaIdParam,
      body: body(
        z.object({
          visibility: uploadMetadata.visibility,
          sha256: uploadMetadata.sha256,
          tags: uploadMetadata.tags,
          translations: uploadMetadata.translations,
        }),
      ),
    },
    responses: {
      201: json(storedMedia, "Stored and recorded"),
      ...authErrors,
      ...notFound,
      409: error("The declared SHA-256 differs from the bytes (`media.checksum_mismatch`)"),
      ...jsonErrors,
    },
  });

  r.registerPath({
    method: "post",
    path: "/dashboard/media/multipart",
    operationId: "createMediaMultipartUpload",
    tags,
    summary: "Start a multipart upload (files up to 5 GiB)",
    description: "The server fixes the part size; every part but the last has exactly `partSize` bytes.",
    servers,
    security: bearer,
    request: {
      body: body(
        z.object({
          ...uploadMetadata,
          fileSize: z.number().int().positive(),
          contentType: z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9.+-]+$/),
        }),
      ),
    },
    responses: {
      201: json(
        z.object({
          mediaId: z.string(),
          uploadId: z.string(),
          key: z.string(),
          partSize: z.number().int().positive(),
          partCount: z.number().int().positive(),
        }),
        "Upload started",
      ),
      ...authErrors,
      ...jsonErrors,
    },
  });

  r.registerPath({
    method: "get",
    path: "/dashboard/media/multipart/{mediaId}",
    operationId: "getMediaMultipartUpload",
    tags,
    summary: "A multipart upload's parts (to resume it)",
    servers,
    security: bearer,
    request: { params: mediaIdParam },
    responses: {
      200: json(
        z.object({
          mediaId: z.string(),
          key: z.string(),
          fileSize: z.number().int(),
          partSize: z.number().int(),
          partCount: z.number().int(),
          parts: z.array(multipartPart),
          missingParts: z.array(z.number().int()),
        }),
        "The upload",
      ),
      ...authErrors,
      ...notFound,
    },
  });

  r.registerPath({
    method: "put",
    path: "/dashboard/media/multipart/{mediaId}/parts/{partNumber}",
    operationId: "uploadMediaMultipartPart",
    tags,
    summary: "Upload one part",
    servers,
    security: bearer,
    request: {
      params: mediaIdParam.extend({
        partNumber: z.coerce
          .number()
          .int()
          .positive()
          .openapi({ param: { name: "partNumber", in: "path" } }),
      }),
      headers: checksumHeader,
      body: {
        required: true,
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      },
    },
    responses: {
      200: json(multipartPart, "Part stored"),
      ...authErrors,
      ...notFound,
      409: error("The declared SHA-256 differs from the part (`media.checksum_mismatch`)"),
      413: error("The part is longer than its fixed size"),
      415: error("Part 1's bytes do not match the declared type"),
    },
  });

  r.registerPath({
    method: "post",
    path: "/dashboard/media/multipart/{mediaId}/complete",
    operationId: "completeMediaMultipartUpload",
    tags,
    summary: "Assemble the parts and record the media",
    servers,
    security: bearer,
    request: { params: mediaIdParam },
    responses: {
      201: json(storedMedia, "Stored and recorded"),
      ...authErrors,
      ...notFound,
      409: error("The assembled file's SHA-256 differs from the declared one (`media.checksum_mismatch`)"),
      ...jsonErrors,
    },
  });

  r.registerPath({
    method: "delete",
    path: "/dashboard/media/multipart/{mediaId}",
    operationId: "abortMediaMultipartUpload",
    tags,
    summary: "Abort a multipart upload",
    servers,
    security: bearer,
    request: { params: mediaIdParam },
    responses: { 204: { description: "Aborted" }, ...authErrors, ...notFound },
  });

  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "Questline media API", version: "0.1.0" },
    tags: [
      { name: "Media uploads", description: "Uploads to the media host (dashboard tokens, editor role or above)" },
      { name: "Media delivery", description: "File delivery and signed URLs for private files" },
    ],
  }) as unknown as Record<string, unknown>;
}
