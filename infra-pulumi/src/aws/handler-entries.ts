/** aws-core handler modules (each exports `handler`), relative to the repo root. */
export const HANDLER_ENTRIES = {
  api: "aws-core/src/handlers/api.ts",
  stream: "aws-core/src/handlers/stream.ts",
  scheduled: "aws-core/src/handlers/scheduled.ts",
  preToken: "aws-core/src/handlers/pre-token.ts",
  webhooks: "aws-core/src/handlers/webhooks.ts",
} as const;
