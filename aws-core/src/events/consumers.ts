import type { Logger } from "@aws-lambda-powertools/logger";
import type { WalletWrites } from "../wallet/ledger";
import type { TransactionBuilder } from "./transaction";
import type { AppliedEvent, RuleUser } from "./types";

/**
 * The extension point of the exactly-once event pipeline (`events/pipeline.ts`).
 *
 * For every event applied for a user — the root event and everything derived from it
 * (missions completed, virtual transactions created) — the pipeline runs, in order:
 * missions, reward rules, then each registered consumer in registration order (streaks,
 * leaderboards, ...). A consumer adds its writes to the same DynamoDB transaction as the log
 * item, so they happen exactly once together with it. If the transaction is cancelled by a
 * concurrent change, the pipeline calls `load` again and re-plans from scratch, so `apply`
 * must be a pure function of (event, loaded state).
 */
export interface EventConsumer<State = unknown> {
  /** Unique, stable name (used in logs). */
  name: string;
  /** Reads the consumer needs (run in parallel with the engine's own reads, on each attempt). */
  load?(input: ConsumerLoadInput): Promise<State>;
  /** Adds writes for one event. `emit` queues a derived event that later stages and consumers see. */
  apply(event: AppliedEvent, ctx: ConsumerContext<State>): void;
  /** After the transaction committed (e.g. Redis leaderboard updates). Failures are logged, not thrown. */
  afterCommit?(events: readonly AppliedEvent[], ctx: ConsumerCommitContext<State>): Promise<void>;
}

export interface ConsumerLoadInput {
  workspaceId: string;
  userId: string;
  rootEvent: AppliedEvent;
  now: Date;
}

export interface ConsumerContext<State> {
  workspaceId: string;
  user: RuleUser;
  now: Date;
  state: State;
  tx: TransactionBuilder;
  /**
   * The event's wallet writes (flushed into `tx` after every consumer ran): debit or credit
   * through it, never with your own WalletWrites, so one balance item gets one update.
   */
  wallet: WalletWrites;
  emit(event: Omit<AppliedEvent, "workspaceId" | "userId" | "rootEventId">): void;
}

export interface ConsumerCommitContext<State> {
  workspaceId: string;
  user: RuleUser;
  now: Date;
  state: State;
  logger: Logger;
}

// biome-ignore lint/suspicious/noExplicitAny: consumers keep their own state type.
type AnyConsumer = EventConsumer<any>;

const registered: AnyConsumer[] = [];

/**
 * Registers a consumer (idempotent by name; a second registration replaces the first).
 * Call at module load, e.g. from `events/consumers.ts`'s list below or from the feature's
 * own module imported by `http/routes.ts`.
 */
export function registerEventConsumer<State>(consumer: EventConsumer<State>): () => void {
  const index = registered.findIndex((c) => c.name === consumer.name);
  if (index >= 0) registered.splice(index, 1, consumer);
  else registered.push(consumer);
  return () => {
    const at = registered.indexOf(consumer);
    if (at >= 0) registered.splice(at, 1);
  };
}

export function eventConsumers(): readonly AnyConsumer[] {
  return registered;
}
