import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "../db/client";
import type { AppliedEvent, DomainEvent, DomainEventInput, RuleUser } from "../events/types";
import { logger } from "../logging";
import { loadLiveConfig } from "../records/live";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "./commit";
import type {
  AnyEventConsumer,
  ConsumerContext,
  ConsumerWithState,
  DerivedEvent,
  DerivedEventOptions,
} from "./consumer";
import { serializedPerUser } from "./serialize";
import { TransactionBuilder } from "./transaction";

/**
 * The exactly-once event pipeline. An event (an activity log, a quiz or slide submit) is
 * applied by ONE DynamoDB transaction that holds the immutable log item — conditioned on
 * `attribute_not_exists(pk)` — together with every consumer's writes for the event and for
 * everything derived from it. Either all of it happens once, or nothing does:
 *   - the log item already exists → the event was applied before: nothing is written again,
 *     the stored item is returned;
 *   - a consumer's condition failed and the consumer says what to plan differently (a
 *     balance limit: that currency's rewards become REJECTED) → re-plan at once;
 *   - a concurrent change (a mission's rev, a transaction conflict) → reload and re-plan,
 *     with backoff.
 * Reads happen once per attempt, all in parallel (the consumers' loads, the user, the cached
 * published configuration), so the common path costs the consumers' reads plus one
 * TransactWriteItems.
 */
export interface ApplyEventInput {
  workspaceId: string;
  userId: string;
  rootEvent: AppliedEvent;
  /** The immutable log item of the event (with pk/sk); its existence marks the event applied. */
  logItem: Record<string, unknown> & { pk: string; sk: string };
  now?: Date;
}

export type ApplyEventResult =
  | { applied: true; events: AppliedEvent[]; attempts: number }
  | { applied: false; existing: Record<string, unknown>; attempts: number };

export interface EventPipeline {
  applyEvent(input: ApplyEventInput): Promise<ApplyEventResult>;
}

export interface EventPipelineOptions {
  /** Run in order for every event (the composition root lists them). */
  consumers: readonly AnyEventConsumer[];
  /** The user as rules see it. */
  loadUser(workspaceId: string, userId: string): Promise<RuleUser>;
}

/**
 * How many derivation steps an event may be from its root (root = 0; a quiz submit's path
 * progress = 1; a mission it completes = 2; a mission counting that completion = 3, …).
 * Deeper events are dropped (logged): a cycle of configurations cannot loop forever. Leaf
 * events (see `DerivedEventOptions`) are always recorded.
 */
export const MAX_DERIVATION_DEPTH = 8;

/** The log item's attribute holding the run's domain events (the outbox the stream handler reads). */
export const DOMAIN_EVENTS_ATTRIBUTE = "domainEvents";
/** Every catalog type is at version 1 so far; a breaking payload change bumps its type's version. */
export const DOMAIN_EVENT_VERSION = 1;

interface Plan {
  tx: TransactionBuilder;
  events: AppliedEvent[];
}

export function createEventPipeline(options: EventPipelineOptions): EventPipeline {
  const consumers = [...options.consumers];
  const names = new Set(consumers.map((c) => c.name));
  if (names.size !== consumers.length) throw new Error("event consumers need unique names");

  /** Plans the whole run of one root event: a queue of events, root first, each seen by every consumer. */
  function plan(
    input: ApplyEventInput,
    user: RuleUser,
    config: ConsumerContext<unknown>["config"],
    states: unknown[],
    now: Date,
  ): Plan {
    const { workspaceId, rootEvent } = input;
    const tx = new TransactionBuilder();
    // A copy per attempt: the run's domain events are added to it before the commit.
    const logItem: Record<string, unknown> = { ...input.logItem };
    tx.put({ TableName: tableName(), Item: logItem, ConditionExpression: "attribute_not_exists(pk)" }, { kind: "log" });
    const published = new Map<string, DomainEvent>();
    const publish = (fact: DomainEventInput) => {
      const id = `${rootEvent.eventId}:${fact.type}:${fact.key}`;
      if (published.has(id)) return;
      published.set(id, {
        id,
        type: fact.type,
        version: DOMAIN_EVENT_VERSION,
        workspaceId,
        userId: user.userId,
        occurredAt: fact.occurredAt ?? now.toISOString(),
        rootEventId: rootEvent.eventId,
        data: fact.data,
      });
    };
    const events: AppliedEvent[] = [rootEvent];
    const depths: number[] = [0];
    let depth = 0;
    let finishing = false;
    const emit = (derived: DerivedEvent, emitOptions: DerivedEventOptions = {}) => {
      if (finishing) throw new Error(`event ${derived.eventId} emitted after the last event was applied`);
      const event: AppliedEvent = { ...derived, workspaceId, userId: user.userId, rootEventId: rootEvent.eventId };
      if (depth + 1 > MAX_DERIVATION_DEPTH && !emitOptions.leaf) {
        logger.warn("derived event dropped: derivation depth exceeded", {
          rootEventId: rootEvent.eventId,
          eventId: event.eventId,
          type: event.type,
          depth: depth + 1,
        });
        return;
      }
      events.push(event);
      depths.push(depth + 1);
    };
    const stateOf = <S>(consumer: ConsumerWithState<S>): S => {
      const at = consumers.indexOf(consumer as AnyEventConsumer);
      if (at < 0) throw new Error(`event consumer ${consumer.name} is not in this pipeline`);
      return states[at] as S;
    };
    const contexts = consumers.map(
      (_, i): ConsumerContext<unknown> => ({
        workspaceId,
        user,
        now,
        config,
        state: states[i],
        tx,
        emit,
        publish,
        stateOf,
      }),
    );
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      depth = depths[i]!;
      for (const [ci, consumer] of consumers.entries()) consumer.apply?.(event, contexts[ci]!);
    }
    finishing = true;
    for (const [ci, consumer] of consumers.entries()) consumer.finish?.(contexts[ci]!);
    if (published.size) logItem[DOMAIN_EVENTS_ATTRIBUTE] = [...published.values()];
    return { tx, events };
  }

  async function applyNow(input: ApplyEventInput): Promise<ApplyEventResult> {
    const now = input.now ?? new Date();
    const memories = consumers.map((c) => c.remember?.());
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const config = loadLiveConfig(input.workspaceId);
      const user = options.loadUser(input.workspaceId, input.userId);
      const base = {
        workspaceId: input.workspaceId,
        userId: input.userId,
        rootEvent: input.rootEvent,
        now,
        user,
        config,
      };
      const [loadedConfig, loadedUser, ...states] = await Promise.all([
        config,
        user,
        ...consumers.map((c, i) => c.load?.({ ...base, memory: memories[i] })),
      ]);
      const { tx, events } = plan(input, loadedUser, loadedConfig, states, now);
      const result = await commitTransaction(tx);
      if (result.ok) {
        for (const [ci, consumer] of consumers.entries()) {
          if (!consumer.afterCommit) continue;
          try {
            await consumer.afterCommit(events, {
              workspaceId: input.workspaceId,
              user: loadedUser,
              now,
              state: states[ci],
              logger,
            });
          } catch (err) {
            logger.error(
              `event consumer ${consumer.name} afterCommit failed`,
              err instanceof Error ? err : String(err),
            );
          }
        }
        return { applied: true, events, attempts: attempt };
      }
      if (result.failed.some((t) => t.kind === "log")) {
        return { applied: false, existing: await readExisting(input.logItem), attempts: attempt };
      }
      let replan = false;
      for (const [ci, consumer] of consumers.entries()) {
        if (consumer.conditionsFailed?.(result, memories[ci])) replan = true;
      }
      if (!replan) await backoff(attempt);
    }
    throw new Error(`event ${input.rootEvent.eventId} could not be applied after ${MAX_ATTEMPTS} attempts`);
  }

  return {
    applyEvent: (input) => serializedPerUser(`${input.workspaceId}#${input.userId}`, () => applyNow(input)),
  };
}

/** The stored log item. The Key is built from pk/sk alone: a whole item is not a valid DynamoDB key. */
async function readExisting({ pk, sk }: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item ?? {};
}
