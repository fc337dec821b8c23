import { type Identity, newId, QuestlineError } from "@questline/contracts";
import { coreConfig } from "../config";
import { type RecordKind, recordRef } from "../records/kinds";
import { loadLiveConfig } from "../records/live";
import { newOwnerFields, type OwnerFields, ownerFields } from "../records/owner";
import { invalid } from "../records/schemas";
import { getRecord } from "../records/store";
import { assertJsonLogic } from "../rules/jsonlogic";
import { isValidCron, isValidZone } from "../rules/timeframe";
import { instanceState, resolvePeriod, seriesEnded } from "./instances";
import { leaderboardKeys } from "./keys";
import type {
  ConfigurationInput,
  InstanceInput,
  LeaderboardConfiguration,
  LeaderboardInstance,
  LeaderboardSeries,
} from "./model";
import { rebuildInstance } from "./rebuild";
import {
  closeSeries,
  ensureInstance,
  getConfiguration,
  getInstance,
  listOpenSeries,
  putConfiguration,
  putLiveSeries,
  putSeries,
  type StoredInstance,
} from "./repository";
import { type LeaderboardStore, type RankingEntry, redisUnavailable } from "./store";

export function validateConfiguration(
  input: Pick<ConfigurationInput, "weightExpression" | "translations" | "defaultLang">,
) {
  if (input.weightExpression) assertJsonLogic(input.weightExpression, "weightExpression");
  const langs = input.translations.map((t) => t.lang);
  if (new Set(langs).size !== langs.length || !langs.includes(input.defaultLang)) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: "translations", message: "each language once, including defaultLang" }],
    });
  }
}

/**
 * What a configuration ranks by and who is eligible must exist in the caller's workspace:
 * an id of another workspace (or none) is refused like a missing one, and nothing is written.
 */
async function assertReferences(
  workspaceId: string,
  input: Pick<ConfigurationInput, "score" | "eligibleUsers">,
): Promise<void> {
  const refs: [path: string, kind: RecordKind, id: string | undefined, what: string][] = [];
  const score = input.score;
  if (score.source === "VIRTUAL_CURRENCY_CREDITS") {
    refs.push(["score.virtualCurrencyId", "virtualCurrency", score.virtualCurrencyId, "virtual currency"]);
  } else if (score.source === "ACTIVITY_COUNT" || score.source === "ACTIVITY_VALUE") {
    refs.push(["score.activityId", "activity", score.activityId, "activity"]);
  } else {
    refs.push([
      "score.missionConfigurationId",
      "missionConfiguration",
      score.missionConfigurationId,
      "mission configuration",
    ]);
  }
  if (input.eligibleUsers.type === "TAG") refs.push(["eligibleUsers.tagId", "tag", input.eligibleUsers.tagId, "tag"]);
  for (const [path, kind, id, what] of refs) {
    if (id !== undefined && !(await getRecord(recordRef({ workspaceId }, kind, id)))) {
      throw invalid(path, `no such ${what} in this workspace`);
    }
  }
}

export async function createConfiguration(identity: Identity, input: ConfigurationInput) {
  validateConfiguration(input);
  await assertReferences(identity.workspaceId, input);
  const now = new Date().toISOString();
  const { runtimeLeaderboardConfigurationId, ...rest } = input;
  const config: LeaderboardConfiguration = {
    ...rest,
    runtimeLeaderboardConfigurationId: runtimeLeaderboardConfigurationId ?? newId(),
    langs: input.translations.map((t) => t.lang),
    ...newOwnerFields(identity),
    createdAt: now,
    updatedAt: now,
  };
  await putConfiguration(config, "create");
  return config;
}

export async function updateConfiguration(
  identity: Identity,
  id: string,
  input: Partial<Omit<ConfigurationInput, "runtimeLeaderboardConfigurationId" | "defaultLang">>,
) {
  const current = await getConfiguration(identity.workspaceId, id);
  const next: LeaderboardConfiguration = { ...current, updatedAt: new Date().toISOString() };
  for (const [key, value] of Object.entries(input)) if (value !== undefined) Object.assign(next, { [key]: value });
  next.langs = next.translations.map((t) => t.lang);
  validateConfiguration(next);
  await assertReferences(identity.workspaceId, next);
  await putConfiguration(next, "replace");
  return next;
}

export interface InstanceView extends Omit<LeaderboardInstance, keyof OwnerFields>, OwnerFields {
  state: "PENDING" | "ACTIVE" | "ENDED";
}

export function toInstanceView(instance: StoredInstance, now = new Date()): InstanceView {
  const { redisStaleSince: _stale, ...rest } = instance;
  return { ...rest, ...ownerFields(instance), state: instanceState(instance, now) };
}

/** `POST /runtime-leaderboard-configurations/{id}/instances`: starts a series and its first instance. */
export async function createInstance(identity: Identity, configId: string, input: InstanceInput, now = new Date()) {
  if (input.timeframeTimezone && !isValidZone(input.timeframeTimezone)) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: "timeframeTimezone", message: "not an IANA time zone" }],
    });
  }
  if (input.scheduleCron && !isValidCron(input.scheduleCron)) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: "scheduleCron", message: "not a valid cron pattern" }],
    });
  }
  const configuration = await getConfiguration(identity.workspaceId, configId);
  const series: LeaderboardSeries = {
    seriesId: newId(),
    workspaceId: identity.workspaceId,
    runtimeLeaderboardConfigurationId: configId,
    timeframe: input,
    configuration,
    createdAt: now.toISOString(),
  };
  await putSeries(series, !seriesEnded(series, now));
  const first = resolvePeriod(series, now);
  if (!first) throw new QuestlineError("request.validation_failed", "The timeframe has no period");
  await ensureInstance(first.instance);
  return toInstanceView(
    (await getInstance(identity.workspaceId, first.instance.runtimeLeaderboardId)) ?? first.instance,
    now,
  );
}

/**
 * Makes sure every open series has the instance of its current period (for the caller's zone
 * when the series follows user zones): a recurring instance that ends starts the next one.
 * Closes series whose timeframe is over.
 */
export async function ensureCurrentInstances(workspaceId: string, userZone?: string | null, now = new Date()) {
  const [open, live] = await Promise.all([listOpenSeries(workspaceId), loadLiveConfig(workspaceId)]);
  for (const series of open) {
    const current = resolvePeriod(series, now, userZone);
    if (current) await ensureInstance(current.instance);
    if (seriesEnded(series, now)) await closeSeries(workspaceId, series.seriesId);
    // A series stored before open series were part of the live configuration.
    else if (!live.leaderboardSeries.has(series.seriesId)) await putLiveSeries(series);
  }
}

const instanceCache = new Map<string, { at: number; instance: StoredInstance }>();

/** Instance metadata for the read path, cached briefly per container (it rarely changes). */
export async function loadInstance(workspaceId: string, id: string, fresh = false): Promise<StoredInstance> {
  const key = `${workspaceId}:${id}`;
  const hit = instanceCache.get(key);
  if (!fresh && hit && Date.now() - hit.at < coreConfig().leaderboardInstanceCacheMs) return hit.instance;
  const instance = await getInstance(workspaceId, id);
  if (!instance) throw new QuestlineError("resource.not_found", `Runtime leaderboard ${id} not found`);
  instanceCache.set(key, { at: Date.now(), instance });
  if (instanceCache.size > 10_000) instanceCache.clear();
  return instance;
}

export interface RankingsResult {
  items: RankingEntry[];
  totalCount: number;
  me: RankingEntry | null;
  instance: StoredInstance;
}

/**
 * Rankings of an instance from Redis. A board that Redis lost (or never had, or that missed
 * writes while Redis was down) is rebuilt from DynamoDB first; while another request rebuilds
 * it the answer is 503 with Retry-After.
 */
export async function readRankings(
  store: LeaderboardStore,
  workspaceId: string,
  instanceId: string,
  query: { offset: number; limit: number; userId?: string | undefined },
): Promise<RankingsResult> {
  let instance = await loadInstance(workspaceId, instanceId);
  if (instance.redisStaleSince) {
    instance = await loadInstance(workspaceId, instanceId, true);
    if (instance.redisStaleSince) await rebuildInstance(store, instance);
  }
  const keys = leaderboardKeys(workspaceId, instance.runtimeLeaderboardId, instance.periodId);
  const visible = Math.max(0, Math.min(query.limit, instance.displayTopN - query.offset));
  const ask = { offset: query.offset, limit: visible, policy: instance.tieBreak, userId: query.userId };
  let page = await store.readRankings(keys, ask);
  if (page.status === "missing") {
    await rebuildInstance(store, instance);
    page = await store.readRankings(keys, ask);
  }
  if (page.status !== "ready") {
    throw new QuestlineError("upstream.unavailable", "The leaderboard is being rebuilt, retry shortly", {
      headers: { "Retry-After": "1" },
    });
  }
  return { items: page.entries, totalCount: page.total, me: page.me, instance };
}

export { redisUnavailable };
