import { type Identity, newId, paginationQuerySchema, QuestlineError } from "@questline/contracts";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { expectedVersion } from "../http/if-match";
import { readJson, readQuery } from "../http/validation";
import { type RecordKind, recordRef } from "./kinds";
import {
  type ConfigKind,
  deleteLiveSnapshot,
  getLive,
  invalidateLiveConfig,
  liveReferencesTo,
  putLiveSnapshot,
} from "./live";
import { assertReferencesExist, type Reference } from "./references";
import {
  type CatalogInput,
  type CompanionWrites,
  createRecord,
  deleteRecord,
  listRecords,
  type RecordContent,
  requireRecord,
  type StoredRecord,
  updateRecord,
} from "./store";

export type LifecycleState = "DRAFT" | "PUBLISHED" | "ARCHIVED";

/** Fields every configuration and content record carries besides its own. */
export interface LifecycleFields {
  state: LifecycleState;
  /** Staged kinds: a published record edited since; the live snapshot still holds the published version. */
  hasUnpublishedChanges?: boolean;
  publishedAt?: string;
  publishedVersion?: number;
}

/**
 * A dashboard resource over the versioned-record store: how a create/update body becomes the
 * stored record, how it is checked, indexed and shown, and how publishing works for it.
 */
export interface ResourceDefinition<TCreate, TUpdate, TData extends LifecycleFields> {
  kind: RecordKind;
  /** The id field of the reference payloads, e.g. `activityId`. */
  idField: string;
  createSchema: z.ZodType<TCreate>;
  updateSchema: z.ZodType<TUpdate>;
  create(input: TCreate, ctx: { id: string; identity: Identity; now: string }): TData;
  update(current: TData, input: TUpdate): TData;
  /**
   * How a published record changes:
   * - `staged` (engine configurations): the engine runs a LIVE snapshot written on publish;
   *   editing a published record stages the change (`hasUnpublishedChanges`) until the next
   *   publish; a delete is refused while live configurations reference the record.
   * - `immediate` (learning content, whose record is what apps read): edits of a published
   *   record apply at once; only a DRAFT is published; `publish: true` on create publishes.
   */
  publishing: "staged" | "immediate";
  /** Entities a create or update body names, checked before anything is read (400 naming the field). */
  references?(input: TCreate | TUpdate, workspaceId: string): Reference[];
  /** Semantic checks of the record about to be written (`publishing` on publish). */
  validate?(data: TData, ctx: { workspaceId: string; publishing: boolean }): Promise<void> | void;
  /** Catalog kinds: the document the edge indexes. */
  catalog?(data: TData): CatalogInput;
  /** Staged kinds: `POST /:id/archive` and `/:id/unarchive`. */
  archivable?: boolean;
  /** Writes that join every version's transaction (a container's live structure). */
  companions?(workspaceId: string, id: string): CompanionWrites<TData>;
  /** The dashboard view of a record (default: the id field, the data and the envelope). */
  view?(record: StoredRecord<TData>): Record<string, unknown>;
}

/** The dashboard view of a stored record: the data plus the envelope's id, version and timestamps. */
export function toResourceView<T>(idField: string, record: StoredRecord<T>): Record<string, unknown> {
  return {
    [idField]: record.id,
    ...(record.data as Record<string, unknown>),
    version: record.version,
    workspaceId: record.workspaceId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * The dashboard router every configuration and content kind shares: `POST /` (201; optional
 * client-chosen id), `GET /`, `GET /:id`, `PUT /:id`, `POST /:id/publish`, `DELETE /:id` (204),
 * and for archivable kinds `POST /:id/archive` and `POST /:id/unarchive`. Writes need a writer
 * role and accept `If-Match: "<version>"`.
 */
export function resourceRoutes<TCreate, TUpdate, TData extends LifecycleFields>(
  resource: ResourceDefinition<TCreate, TUpdate, TData>,
): Hono<CoreEnv> {
  const routes = new Hono<CoreEnv>();
  const { kind, idField } = resource;
  const staged = resource.publishing === "staged";
  const view = (record: StoredRecord<TData>) => resource.view?.(record) ?? toResourceView(idField, record);
  const content = (data: TData): RecordContent<TData> => ({
    data,
    ...(resource.catalog ? { catalog: resource.catalog(data) } : {}),
  });
  const ref = (c: Context<CoreEnv>, identity: Identity) => recordRef(identity, kind, c.req.param("id") ?? "");
  const companions = (workspaceId: string, id: string) => resource.companions?.(workspaceId, id);
  /** Staged kinds: the new version becomes what the engine runs. */
  const live = (record: StoredRecord<TData> | null) =>
    record ? [putLiveSnapshot(record.workspaceId, kind as ConfigKind, record)] : [];
  /** After a write that changed what the engine runs (a live snapshot, a container's structure). */
  const written = (workspaceId: string, liveChanged: boolean) => {
    if (liveChanged || resource.companions) invalidateLiveConfig(workspaceId);
  };
  const checkReferences = (input: TCreate | TUpdate, workspaceId: string) =>
    assertReferencesExist(resource.references?.(input, workspaceId) ?? []);

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.createSchema);
    const requested = (input as Record<string, unknown>)[idField];
    const id = typeof requested === "string" ? requested : newId();
    const now = new Date();
    const at = now.toISOString();
    const draft = resource.create(input, { id, identity, now: at });
    const publish = !staged && (input as { publish?: unknown }).publish === true;
    const data: TData = publish ? { ...draft, state: "PUBLISHED", publishedAt: at } : draft;
    await checkReferences(input, identity.workspaceId);
    await resource.validate?.(data, { workspaceId: identity.workspaceId, publishing: false });
    const record = await createRecord(recordRef(identity, kind, id), content(data), {
      now,
      companions: companions(identity.workspaceId, id),
    });
    written(identity.workspaceId, false);
    return c.json(view(record), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listRecords<TData>(c.get("identity"), kind, { limit, nextToken });
    return c.json({ items: page.items.map(view), nextToken: page.nextToken ?? null });
  });

  routes.get("/:id", async (c) => c.json(view(await requireRecord<TData>(ref(c, c.get("identity"))))));

  routes.put("/:id", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.updateSchema);
    const target = ref(c, identity);
    await checkReferences(input, identity.workspaceId);
    const record = await updateRecord<TData>(
      target,
      async (current) => {
        const next = resource.update(current.data, input);
        await resource.validate?.(next, { workspaceId: identity.workspaceId, publishing: false });
        return content(staged && current.data.state !== "DRAFT" ? { ...next, hasUnpublishedChanges: true } : next);
      },
      {
        expectedVersion: expectedVersion(c.req.header("if-match")),
        companions: companions(identity.workspaceId, target.id),
      },
    );
    written(identity.workspaceId, false);
    return c.json(view(record));
  });

  routes.post("/:id/publish", async (c) => {
    const identity = requireWriter(c);
    const target = ref(c, identity);
    const record = await updateRecord<TData>(
      target,
      async (current, next) => {
        const { state, hasUnpublishedChanges } = current.data;
        const publishable = state === "DRAFT" || (staged && state === "PUBLISHED" && hasUnpublishedChanges === true);
        if (!publishable) {
          throw new QuestlineError(
            "resource.invalid_state",
            `Only a draft${staged ? " or a published record with unpublished changes" : ""} can be published (${kind} ${current.id} is ${state})`,
          );
        }
        await resource.validate?.(current.data, { workspaceId: identity.workspaceId, publishing: true });
        const { hasUnpublishedChanges: _dropped, ...rest } = current.data;
        return content({
          ...rest,
          state: "PUBLISHED",
          publishedAt: next.updatedAt,
          ...(staged ? { publishedVersion: next.version } : {}),
        } as TData);
      },
      {
        expectedVersion: expectedVersion(c.req.header("if-match")),
        companions: staged ? live : companions(identity.workspaceId, target.id),
      },
    );
    written(identity.workspaceId, staged);
    return c.json(view(record));
  });

  routes.delete("/:id", async (c) => {
    const identity = requireWriter(c);
    const target = ref(c, identity);
    await deleteRecord<TData>(target, {
      expectedVersion: expectedVersion(c.req.header("if-match")),
      companions: staged
        ? () => [deleteLiveSnapshot(identity.workspaceId, kind as ConfigKind, target.id)]
        : companions(identity.workspaceId, target.id),
      ...(staged ? { guard: (current) => refuseWhileReferenced(current) } : {}),
    });
    written(identity.workspaceId, staged);
    return c.body(null, 204);
  });

  if (staged && resource.archivable) {
    const transition = (from: LifecycleState, to: LifecycleState) => async (c: Context<CoreEnv>) => {
      const identity = requireWriter(c);
      const record = await updateRecord<TData>(
        ref(c, identity),
        (current) => {
          if (current.data.state !== from) {
            throw new QuestlineError(
              "resource.invalid_state",
              `${kind} ${current.id} is ${current.data.state}, not ${from}`,
            );
          }
          return content({ ...current.data, state: to });
        },
        { expectedVersion: expectedVersion(c.req.header("if-match")), companions: live },
      );
      written(identity.workspaceId, staged);
      return c.json(view(record));
    };
    routes.post("/:id/archive", transition("PUBLISHED", "ARCHIVED"));
    routes.post("/:id/unarchive", transition("ARCHIVED", "PUBLISHED"));
  }

  return routes;
}

/**
 * A staged record that ever went live (published or archived) is deleted with its live
 * snapshot — the engine stops running it — unless live configurations reference it: then 409
 * `resource.conflict` naming them (unpublish or change those first). Users' state (missions,
 * balances, badges, logs) is kept.
 */
async function refuseWhileReferenced(current: StoredRecord<LifecycleFields>): Promise<void> {
  const kind = current.kind as ConfigKind;
  const everLive = current.data.state !== "DRAFT" || (await getLive(current.workspaceId, kind, current.id)) !== null;
  if (!everLive) return;
  const references = await liveReferencesTo(current.workspaceId, kind, current.id);
  if (!references.length) return;
  throw new QuestlineError(
    "resource.conflict",
    `${kind} ${current.id} is used by ${references.length} live configuration(s); change or delete them first`,
    { details: references.map((r) => ({ path: `${r.kind}/${r.id}`, message: `references ${kind} ${current.id}` })) },
  );
}
