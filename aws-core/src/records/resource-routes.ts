import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type Identity, newId, QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { expectedVersion } from "../http/if-match";
import {
  bearerSecurity,
  documentedRouter,
  errorResponses,
  fieldsQuery,
  idParams,
  ifMatchHeader,
  jsonBody,
  jsonContent,
  pageQuery,
  pageSchema,
  writeErrors,
} from "../http/openapi";
import { type RecordKind, recordRef } from "./kinds";
import {
  type ConfigKind,
  deleteLiveSnapshot,
  getLive,
  invalidateLiveConfig,
  liveReferencesTo,
  putLiveSnapshot,
} from "./live";
import { ownerFields, translationsView, translationViewSchema } from "./owner";
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

/**
 * How a resource appears in the OpenAPI document (reference names: tag `Activities`,
 * operation ids `dashboard/activities/create`, …). Its response schema is the record as
 * `toResourceView` shows it: the create body's fields (defaults applied; minus the id and
 * `publish`), the fields the resource derives (`extra`), the lifecycle and the envelope.
 */
export interface ResourceApi {
  tag: string;
  /** The operation-id stem, e.g. `activities`. */
  operation: string;
  /** One record, e.g. `activity` (used in summaries). */
  noun: string;
  /** The component name of the response schema, e.g. `Activity`. */
  component: string;
  /** Fields the stored record has beyond its create body (e.g. `langs`). */
  extra?: Record<string, z.ZodType>;
  /** `fields` the reference accepts on GET (e.g. `tags`, `translations`). */
  fields?: readonly [string, ...string[]];
}

const viewSchemas = new WeakMap<ResourceApi, z.ZodType>();

/** The response schema of a resource's record (see `ResourceApi`); one per resource. */
export function resourceViewSchema(idField: string, createSchema: z.ZodType, api: ResourceApi): z.ZodType {
  const known = viewSchemas.get(api);
  if (known) return known;
  const schema = buildViewSchema(idField, createSchema, api);
  viewSchemas.set(api, schema);
  return schema;
}

function buildViewSchema(idField: string, createSchema: z.ZodType, api: ResourceApi): z.ZodType {
  const body = createSchema instanceof z.ZodObject ? { ...(createSchema.shape as Record<string, z.ZodType>) } : {};
  delete body[idField];
  delete body.publish;
  if (body.translations) body.translations = translationsViewField(idField, body.translations) as z.ZodType;
  return z
    .object({
      [idField]: z.string().openapi({ example: "FUMzPf00hz_kcj2R2Hlzq" }),
      ...body,
      langs: z.array(z.string()).openapi({ description: "The languages of its translations" }),
      ...api.extra,
      stage: stageSchema,
      hasUnpublishedChanges: z
        .boolean()
        .optional()
        .openapi({ description: "Staged kinds: edited since it was published (the published version still runs)" }),
      publishedAt: z.iso.datetime().optional(),
      publishedVersion: z.number().int().positive().optional(),
      ...recordEnvelopeShape,
    })
    .openapi(api.component);
}

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
  /** The record's own fields in its dashboard view (default: its data); the envelope is added. */
  view?(record: StoredRecord<TData>, options: { fields: readonly string[] }): Record<string, unknown>;
  /**
   * Optional fields the view always shows, `null` when not set, because the reference requires
   * them (a mission rule's `missionsMatchCondition`); other optional fields are left out when unset.
   */
  requiredInView?: readonly string[];
  /** The resource's place in the OpenAPI document. */
  api?: ResourceApi;
}

/**
 * The dashboard view of a stored record: its fields plus the envelope the reference has on
 * every record (id, `accountId`, `workspaceId`, `sourceRegion`, timestamps) and our `version`.
 * The lifecycle is `stage` (DRAFT/PUBLISHED/ARCHIVED), as in the reference, which keeps
 * `state` for a rule's PENDING/ACTIVE/ENDED.
 */
export function toResourceView<T>(
  idField: string,
  record: StoredRecord<T>,
  fields: Record<string, unknown> = record.data as Record<string, unknown>,
  omitWhenNull: ReadonlySet<string> = NONE,
): Record<string, unknown> {
  const { state, translations, ...all } = fields as { state?: LifecycleState; translations?: unknown };
  const rest = Object.fromEntries(
    Object.entries(all).filter(([key, value]) => value !== null || !omitWhenNull.has(key)),
  );
  const owner = ownerFields(record);
  const entity = { id: record.id, owner, createdAt: record.createdAt, updatedAt: record.updatedAt };
  return {
    [idField]: record.id,
    ...rest,
    ...(Array.isArray(translations)
      ? { translations: translationsView(idField, entity, translations) }
      : translations !== undefined
        ? { translations }
        : {}),
    ...(state !== undefined ? { stage: state } : {}),
    ...owner,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** A create body's `translations` field as the view shows it (each entry as `translationViewSchema` has it). */
function translationsViewField(idField: string, field: z.ZodType | undefined): z.ZodType | undefined {
  let inner: z.ZodType | undefined = field;
  let optional = false;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
    optional ||= inner instanceof z.ZodOptional;
    inner = inner.unwrap() as z.ZodType;
  }
  if (!(inner instanceof z.ZodArray) || !(inner.element instanceof z.ZodObject)) return field;
  const entry = translationViewSchema(idField, inner.element as z.ZodObject);
  return optional ? z.array(entry).optional() : z.array(entry);
}

const NONE: ReadonlySet<string> = new Set();
const optionalFieldSets = new WeakMap<z.ZodType, ReadonlySet<string>>();

/**
 * The fields a create body may leave out (optional or defaulted). A stored null in one of them
 * means "not set", and the view leaves it out, as the reference wants its optional JsonLogic
 * conditions (`startRule`, `usersMatchCondition`, …): an object or absent. A required nullable
 * field (a configuration's `matchCondition`) keeps its null.
 */
export function omittableFields(createSchema: z.ZodType): ReadonlySet<string> {
  const known = optionalFieldSets.get(createSchema);
  if (known) return known;
  let schema: unknown = createSchema;
  while (schema instanceof z.ZodPipe) schema = schema.in;
  const fields =
    schema instanceof z.ZodObject
      ? new Set(
          Object.entries(schema.shape as Record<string, z.ZodType>)
            .filter(([, field]) => field.safeParse(undefined).success)
            .map(([key]) => key),
        )
      : NONE;
  optionalFieldSets.set(createSchema, fields);
  return fields;
}

/** The envelope fields of `toResourceView`, for resources' response schemas. */
export const recordEnvelopeShape = {
  accountId: z.string().openapi({ description: "The workspace's account", example: "Acc0000001" }),
  workspaceId: z.string().openapi({ example: "Wsp0000001" }),
  sourceRegion: z.string().openapi({ description: "The region that created the record", example: "eu-west-1" }),
  version: z.number().int().positive().openapi({ description: "Increases on every change; send it as `If-Match`" }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const stageSchema = z
  .enum(["DRAFT", "PUBLISHED", "ARCHIVED"])
  .openapi("Stage", { description: "The lifecycle stage of a configuration or content record" });

/**
 * The dashboard router every configuration and content kind shares: `POST /` (201; optional
 * client-chosen id), `GET /`, `GET /{id}`, `PUT /{id}`, `POST /{id}/publish`, `DELETE /{id}`
 * (204), and for archivable kinds `POST /{id}/archive` and `POST /{id}/unarchive`. Writes need
 * a writer role and accept `If-Match: "<version>"`. Path parameters carry the reference's
 * names (`{activityId}`).
 */
export function resourceRoutes<TCreate, TUpdate, TData extends LifecycleFields>(
  resource: ResourceDefinition<TCreate, TUpdate, TData>,
): OpenAPIHono<CoreEnv> {
  const routes = documentedRouter();
  const { kind, idField, api } = resource;
  const staged = resource.publishing === "staged";
  const required = new Set(resource.requiredInView ?? []);
  const omitWhenNull: ReadonlySet<string> = new Set(
    [...omittableFields(resource.createSchema)].filter((f) => !required.has(f)),
  );
  const view = (record: StoredRecord<TData>, fields: readonly string[] = []) => {
    const data = resource.view?.(record, { fields }) ?? (record.data as Record<string, unknown>);
    const shown = required.size
      ? { ...data, ...Object.fromEntries([...required].map((f) => [f, data[f] ?? null])) }
      : data;
    return toResourceView(idField, record, shown, omitWhenNull);
  };
  const content = (data: TData): RecordContent<TData> => ({
    data,
    ...(resource.catalog ? { catalog: resource.catalog(data) } : {}),
  });
  const ref = (c: Context<CoreEnv>, identity: Identity) => recordRef(identity, kind, c.req.param(idField) ?? "");
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

  // The document: reference tags and operation ids; hidden until the resource has an `api`.
  const one = api ? resourceViewSchema(idField, resource.createSchema, api) : z.record(z.string(), z.unknown());
  const noun = api?.noun ?? kind;
  const doc = (operation: string, summary: string) => ({
    ...(api ? { operationId: `dashboard/${api.operation}/${operation}`, tags: [api.tag] } : { hide: true }),
    summary,
    security: bearerSecurity,
  });
  const params = idParams(idField);
  const fields = api?.fields ? { fields: fieldsQuery(api.fields) } : {};
  const requested = (query: { fields?: readonly string[] | undefined }) => query.fields ?? [];

  const createOp = createRoute({
    method: "post",
    path: "/",
    ...doc("create", `Create a ${noun} (DRAFT${staged ? "" : "; `publish: true` publishes it at once"})`),
    request: { body: jsonBody(resource.createSchema as z.ZodType) },
    responses: { 201: jsonContent(one, `The ${noun}, created`), ...writeErrors },
  });
  routes.openapi(createOp, async (c) => {
    const identity = requireWriter(c);
    const input = c.req.valid("json") as TCreate;
    const chosen = (input as Record<string, unknown>)[idField];
    const id = typeof chosen === "string" ? chosen : newId();
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

  const listOp = createRoute({
    method: "get",
    path: "/",
    ...doc("list", `List ${noun} records in id order`),
    request: { query: z.object({ ...pageQuery, ...fields }) },
    responses: { 200: jsonContent(pageSchema(one), `A page of ${noun} records`), ...errorResponses },
  });
  routes.openapi(listOp, async (c) => {
    const query = c.req.valid("query") as { limit: number; nextToken?: string; fields?: string[] };
    const page = await listRecords<TData>(c.get("identity"), kind, query);
    const shown = requested(query);
    return c.json({ items: page.items.map((r) => view(r, shown)), nextToken: page.nextToken ?? null }, 200);
  });

  const getOp = createRoute({
    method: "get",
    path: `/{${idField}}`,
    ...doc("get", `Get a ${noun}`),
    request: { params, query: z.object({ ...fields }) },
    responses: { 200: jsonContent(one, `The ${noun}`), ...errorResponses },
  });
  routes.openapi(getOp, async (c) => {
    const record = await requireRecord<TData>(ref(c, c.get("identity")));
    return c.json(view(record, requested(c.req.valid("query") as { fields?: string[] })), 200);
  });

  const updateOp = createRoute({
    method: "put",
    path: `/{${idField}}`,
    ...doc(
      "update",
      `Update a ${noun}${staged ? " (a published one keeps running its published version until the next publish)" : ""}`,
    ),
    request: { params, headers: ifMatchHeader, body: jsonBody(resource.updateSchema as z.ZodType) },
    responses: { 200: jsonContent(one, `The ${noun}, updated`), ...writeErrors },
  });
  routes.openapi(updateOp, async (c) => {
    const identity = requireWriter(c);
    const input = c.req.valid("json") as TUpdate;
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
    return c.json(view(record), 200);
  });

  const publishOp = createRoute({
    method: "post",
    path: `/{${idField}}/publish`,
    ...doc("publish", `Publish a ${noun}`),
    request: { params, headers: ifMatchHeader },
    responses: { 200: jsonContent(one, `The ${noun}, published`), ...writeErrors },
  });
  routes.openapi(publishOp, async (c) => {
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
    return c.json(view(record), 200);
  });

  const deleteOp = createRoute({
    method: "delete",
    path: `/{${idField}}`,
    ...doc("delete", `Delete a ${noun}${staged ? " (refused while live configurations reference it)" : ""}`),
    request: { params, headers: ifMatchHeader },
    responses: { 204: { description: `The ${noun} is deleted` }, ...writeErrors },
  });
  routes.openapi(deleteOp, async (c) => {
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
    const transition = (operation: "archive" | "unarchive", from: LifecycleState, to: LifecycleState) => {
      const op = createRoute({
        method: "post",
        path: `/{${idField}}/${operation}`,
        ...doc(operation, `${operation === "archive" ? "Archive" : "Unarchive"} a ${noun}`),
        request: { params, headers: ifMatchHeader },
        responses: { 200: jsonContent(one, `The ${noun}, ${to}`), ...writeErrors },
      });
      routes.openapi(op, async (c) => {
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
        return c.json(view(record), 200);
      });
    };
    transition("archive", "PUBLISHED", "ARCHIVED");
    transition("unarchive", "ARCHIVED", "PUBLISHED");
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
