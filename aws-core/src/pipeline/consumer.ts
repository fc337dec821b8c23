import type { Logger } from "@aws-lambda-powertools/logger";
import type { AppliedEvent, DomainEventInput, RuleUser } from "../events/types";
import type { LiveConfig } from "../records/live";
import type { TransactionBuilder, TransactTag } from "./transaction";

/**
 * What a feature that reacts to events implements. The pipeline (`apply-event.ts`) applies
 * one root event and everything derived from it in ONE DynamoDB transaction, running the
 * consumers of its list in order for every event; it knows no feature by name.
 *
 * Per planning attempt (an attempt is re-planned from scratch when the transaction is
 * cancelled by a concurrent change):
 *   1. `load` — each consumer's reads, all in parallel; the result is this attempt's `state`
 *      (a fresh, mutable object each attempt: consumers may keep per-plan bookkeeping in it);
 *   2. `apply` — for every event in order (root first, then derived ones as they are emitted);
 *   3. `finish` — once, after the last event: writes that need the whole run (one write per
 *      touched item, since a transaction cannot touch an item twice);
 * then the transaction commits; `afterCommit` runs only for the committed attempt.
 *
 * `apply` and `finish` must be pure functions of (events, loaded state, memory): a retry
 * re-plans them. A consumer reaches another consumer's state of the same attempt with
 * `ctx.stateOf(otherConsumer)` (e.g. rewards credit through the wallet's state), so shared
 * items get one write.
 */
export interface EventConsumer<State = unknown, Memory = undefined> {
  /** Unique, stable name (logs, transaction tags). */
  readonly name: string;
  /** State kept across the planning attempts of one event (e.g. which currency limits failed). */
  remember?(): Memory;
  /** This attempt's reads; run in parallel with every other consumer's. */
  load?(input: ConsumerLoadInput<Memory>): Promise<State>;
  /** Adds writes for one event; `ctx.emit` queues a derived event every consumer sees after it. */
  apply?(event: AppliedEvent, ctx: ConsumerContext<State>): void;
  /** After the last event of the run, before the commit. */
  finish?(ctx: ConsumerContext<State>): void;
  /**
   * The transaction was cancelled by failed conditions (`conflict`: another transaction was in
   * the way too). Return true when this consumer recorded in `memory` what the next plan must
   * do differently: the pipeline then re-plans at once instead of backing off.
   */
  conditionsFailed?(failure: ConditionFailure, memory: Memory): boolean;
  /** After the transaction committed (e.g. Redis updates). Failures are logged, never thrown. */
  afterCommit?(events: readonly AppliedEvent[], ctx: ConsumerCommitContext<State>): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds consumers of different state types.
export type AnyEventConsumer = EventConsumer<any, any>;

/** Any consumer whose attempt state is `S` (whatever its memory). */
export interface ConsumerWithState<S> {
  readonly name: string;
  load?(input: never): Promise<S>;
}

export interface ConsumerLoadInput<Memory> {
  workspaceId: string;
  userId: string;
  rootEvent: AppliedEvent;
  now: Date;
  memory: Memory;
  /** The user as rules see it (loaded once per attempt, shared). */
  user: Promise<RuleUser>;
  /** The published configuration (cached per container, one load per attempt, shared). */
  config: Promise<LiveConfig>;
}

export interface DerivedEventOptions {
  /**
   * A leaf event derives nothing further itself (e.g. a virtual transaction): it is always
   * recorded, whatever its derivation depth.
   */
  leaf?: boolean;
}

export type DerivedEvent = Omit<AppliedEvent, "workspaceId" | "userId" | "rootEventId">;

export interface ConsumerContext<State> {
  workspaceId: string;
  user: RuleUser;
  now: Date;
  config: LiveConfig;
  state: State;
  tx: TransactionBuilder;
  emit(event: DerivedEvent, options?: DerivedEventOptions): void;
  /** Records a domain fact of this run (published to the event bus once the run commits). */
  publish(event: DomainEventInput): void;
  /** Another consumer's state in this attempt (it must be in the pipeline's list). */
  stateOf<S>(consumer: ConsumerWithState<S>): S;
}

export interface ConsumerCommitContext<State> {
  workspaceId: string;
  user: RuleUser;
  now: Date;
  state: State;
  logger: Logger;
}

export interface ConditionFailure {
  /** Tags of the items whose conditions failed. */
  failed: readonly TransactTag[];
  conflict: boolean;
}
