/** Bindings of the indexer worker: the catalog D1 database and the batch-signing key pair. */
export type IndexerBindings = Env & {
  /** Access key id the AWS core's stream handler signs batches with (secret). */
  INDEXER_ACCESS_KEY_ID: string;
  INDEXER_SECRET_ACCESS_KEY: string;
};

/** Secrets without which the worker cannot work: the key pair batches are signed with. */
export const REQUIRED_BINDINGS = [
  "INDEXER_ACCESS_KEY_ID",
  "INDEXER_SECRET_ACCESS_KEY",
] as const satisfies readonly (keyof IndexerBindings)[];

export interface AppEnv {
  Bindings: IndexerBindings;
  Variables: {
    requestId: string;
    /** The raw request body, read once by the signature check and reused by the route. */
    rawBody: string;
  };
}
