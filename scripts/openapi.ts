/**
 * The API's one OpenAPI 3.1 document, merged from the three parts that serve routes (listed in
 * SOURCES): the api worker (edge routes), the media worker (uploads and file delivery, on the
 * media host) and the AWS core (everything the edge forwards). `docs/openapi.json` is the
 * committed copy, served by the api worker at /openapi.json. `write` regenerates it; `check`
 * fails on drift. The merge rules are in scripts/lib/openapi-merge.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { coreAuthorizationModel, coreOpenApiDocument } from "@questline/aws-core/openapi";
import { apiOpenApiDocument } from "@questline/worker-api/app";
import { FORWARDED_EXTENSION } from "@questline/worker-api/http/openapi";
import { mediaOpenApiDocument } from "@questline/worker-media/openapi";
import openapiTS, { astToString } from "openapi-typescript";
import { addExamples } from "./lib/openapi-examples";
import { mergeOpenApiDocuments, type OpenApiDocument, type OpenApiSource } from "./lib/openapi-merge";

export const OPENAPI_FILE = "docs/openapi.json";
/** The typed client's path and payload types, generated from the same document. */
export const CLIENT_TYPES_FILE = "packages/client/src/schema.d.ts";
/** The Cedar schema and default policies (issue #23), loaded into Verified Permissions by infra-pulumi. */
export const AUTHORIZATION_SCHEMA_FILE = "docs/authorization/schema.json";
export const AUTHORIZATION_POLICIES_FILE = "docs/authorization/default-policies.cedar";

/** The parts of the API; on a `METHOD path` two of them define, the higher precedence wins. */
const SOURCES: OpenApiSource[] = [
  // Edge routes; the ones it only validates and forwards are marked and yield to the core's.
  {
    name: "Api",
    document: apiOpenApiDocument() as OpenApiDocument,
    precedence: 2,
    yieldsWhenMarked: FORWARDED_EXTENSION,
  },
  // Uploads replace the core's internal `POST /dashboard/media` (the media worker's own call).
  { name: "Media", document: mediaOpenApiDocument() as OpenApiDocument, precedence: 3 },
  { name: "Core", document: coreOpenApiDocument() as OpenApiDocument, precedence: 1 },
];

export function buildOpenApiDocument() {
  return mergeOpenApiDocuments({
    info: {
      title: "Questline API",
      version: "0.1.0",
      description:
        "Gamification and learning content. `/app/*` routes take app tokens (a user, or M2M acting for one); " +
        "`/dashboard/*` routes take dashboard tokens with a role. Catalog search and browse are answered at the " +
        "edge; the other routes are served by the core behind it. Uploads and file delivery are on the media " +
        "host (each of those operations names its server). Errors share one body: " +
        "`{ error: { code, message, requestId, details? } }`.",
    },
    servers: [
      { url: "http://localhost:8787", description: "Local stack (`npm run dev`)" },
      {
        url: "https://{apiHost}",
        description: "A deployment's API host",
        variables: { apiHost: { default: "api.questline.example", description: "The api worker's hostname" } },
      },
    ],
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description:
          "A Cognito access token: `custom:workspace_id`, `custom:context` (`app` or `dashboard`); dashboard tokens carry `custom:role`, M2M app tokens act for a user with `x-external-user-id` / `x-user-id`.",
      },
      webhookSignature: {
        type: "apiKey",
        in: "header",
        name: "webhook-signature",
        description:
          "Deliveries to your endpoint are signed per Standard Webhooks with the endpoint's `whsec_` secret: verify `webhook-signature` over `<webhook-id>.<webhook-timestamp>.<body>` (docs/webhooks.md).",
      },
      signedUrl: {
        type: "apiKey",
        in: "query",
        name: "sig",
        description:
          "A signed URL from `POST /media/signed-urls` (media host): `?exp=<unix seconds>&sig=<base64url HMAC-SHA256>`.",
      },
    },
    // Tag descriptions (a tag used by an operation and missing here is listed after these).
    tags: [
      { name: "Session", description: "Who the caller is, as the verified token says" },
      { name: "Catalog", description: "Full-text search of the learning catalog, answered at the edge" },
      {
        name: "Learning groups",
        description: "Published learning groups (edge catalog; per-user parts from the core)",
      },
      { name: "Quizzes", description: "Published quizzes (edge catalog; per-user parts from the core)" },
      { name: "Slides", description: "Published slides (edge catalog; per-user parts from the core)" },
      { name: "Badge configurations", description: "Published badge configurations (edge catalog)" },
      { name: "Learning paths (dashboard)", description: "Authoring learning paths: create, edit, publish" },
      { name: "Media uploads", description: "Uploads to the media host (dashboard tokens, editor role or above)" },
      { name: "Media delivery", description: "File delivery and signed URLs for private files (media host)" },
    ],
    sources: SOURCES,
  });
}

const mode = process.argv[2] ?? "check";
const { document, overridden } = buildOpenApiDocument();
const examples = addExamples(document);
const text = `${JSON.stringify(document, null, 2)}\n`;
const clientTypes = [
  "/**",
  " * Generated from docs/openapi.json by `npm run openapi` (openapi-typescript); do not edit.",
  " * `npm run openapi:check` fails when it is out of date with the routes.",
  " */",
  "",
  astToString(await openapiTS(structuredClone(document) as never, { alphabetize: true })),
].join("\n");
const authorization = coreAuthorizationModel();
const outputs = [
  { file: OPENAPI_FILE, text },
  { file: CLIENT_TYPES_FILE, text: clientTypes },
  { file: AUTHORIZATION_SCHEMA_FILE, text: authorization.schema },
  { file: AUTHORIZATION_POLICIES_FILE, text: authorization.policies },
];
if (mode === "write") {
  mkdirSync("docs/authorization", { recursive: true });
  for (const output of outputs) writeFileSync(output.file, output.text);
  const count = Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`✓ wrote ${OPENAPI_FILE} (${count} operations) and ${CLIENT_TYPES_FILE}`);
  for (const line of overridden) console.log(`  ${line}`);
  console.log(`  ${examples.added} examples generated from the schemas`);
  for (const line of examples.missing) console.log(`  no valid example: ${line}`);
} else {
  let stale = false;
  for (const output of outputs) {
    let committed = "";
    try {
      committed = readFileSync(output.file, "utf8");
    } catch {
      // missing counts as drift
    }
    if (committed !== output.text) {
      console.error(`✗ ${output.file} is out of date with the routes (run \`npm run openapi\`)`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
  console.log(`✓ ${outputs.map((o) => o.file).join(", ")} are up to date`);
}
