import { type Identity, newId, paginationQuerySchema, QuestlineError } from "@questline/contracts";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { CatalogInput } from "../db/versioned";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { readJson, readQuery } from "../http/validation";
import type { ConfigKind } from "../records/live";
import { type ConfigRecord, createConfig, deleteConfig, listConfig, requireConfig, updateConfig } from "./config-store";

export type LifecycleState = "DRAFT" | "PUBLISHED" | "ARCHIVED";

/** Fields every configuration record carries besides its own. */
export interface LifecycleFields {
  state: LifecycleState;
  /** A published record edited since: the live snapshot still holds the published version. */
  hasUnpublishedChanges?: boolean;
  publishedAt?: string;
  publishedVersion?: number;
}

export interface ConfigResource<TCreate, TUpdate, TData extends LifecycleFields> {
  kind: ConfigKind;
  /** The id field of the reference payloads, e.g. `activityId`. */
  idField: string;
  createSchema: z.ZodType<TCreate>;
  updateSchema: z.ZodType<TUpdate>;
  create(input: TCreate, ctx: { id: string; identity: Identity; now: string }): TData;
  update(current: TData, input: TUpdate): TData;
  /** Semantic checks (references to other records, field combinations); `publishing` on publish. */
  validate?(data: TData, ctx: { workspaceId: string; publishing: boolean }): Promise<void> | void;
  catalog?(data: TData): CatalogInput;
  /** Badges: archive / unarchive. */
  archivable?: boolean;
}

function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new QuestlineError("request.validation_failed", "If-Match must be a version number", {
      details: [{ path: "if-match", message: 'expected a version such as "3"' }],
    });
  }
  return Number(match[1]);
}

export function toConfigResponse<T>(idField: string, record: ConfigRecord<T>): Record<string, unknown> {
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
 * The dashboard CRUD + lifecycle router shared by every engine configuration:
 * `POST /`, `GET /`, `GET /:id`, `PUT /:id`, `DELETE /:id` (204; 409 while live configurations
 * reference it, see `deleteConfig`), `POST /:id/publish` (only from a valid draft), and for
 * archivable kinds `POST /:id/archive` and `POST /:id/unarchive`.
 */
export function configRoutes<TCreate, TUpdate, TData extends LifecycleFields>(
  resource: ConfigResource<TCreate, TUpdate, TData>,
): Hono<CoreEnv> {
  const routes = new Hono<CoreEnv>();
  const { kind, idField } = resource;
  const respond = (record: ConfigRecord<TData>) => toConfigResponse(idField, record);
  const catalog = resource.catalog?.bind(resource);

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.createSchema);
    const requested = (input as Record<string, unknown>)[idField];
    const id = typeof requested === "string" ? requested : newId();
    const now = new Date();
    const data = resource.create(input, { id, identity, now: now.toISOString() });
    await resource.validate?.(data, { workspaceId: identity.workspaceId, publishing: false });
    const record = await createConfig(identity.workspaceId, kind, id, data, catalog, now);
    return c.json(respond(record), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listConfig<TData>(c.get("identity").workspaceId, kind, { limit, nextToken });
    return c.json({ items: page.items.map(respond), nextToken: page.nextToken ?? null });
  });

  routes.get("/:id", async (c) => {
    return c.json(respond(await requireConfig<TData>(c.get("identity").workspaceId, kind, c.req.param("id"))));
  });

  routes.put("/:id", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.updateSchema);
    const record = await updateConfig<TData>(
      identity.workspaceId,
      kind,
      c.req.param("id"),
      async (current) => {
        const next = resource.update(current.data, input);
        await resource.validate?.(next, { workspaceId: identity.workspaceId, publishing: false });
        return { data: { ...next, ...(current.data.state !== "DRAFT" ? { hasUnpublishedChanges: true } : {}) } };
      },
      catalog,
      expectedVersion(c.req.header("if-match")),
    );
    return c.json(respond(record));
  });

  routes.delete("/:id", async (c) => {
    const identity = requireWriter(c);
    await deleteConfig(identity.workspaceId, kind, c.req.param("id"), expectedVersion(c.req.header("if-match")));
    return c.body(null, 204);
  });

  routes.post("/:id/publish", async (c) => {
    const identity = requireWriter(c);
    const record = await updateConfig<TData>(
      identity.workspaceId,
      kind,
      c.req.param("id"),
      async (current) => {
        const { state, hasUnpublishedChanges } = current.data;
        if (state === "ARCHIVED" || (state === "PUBLISHED" && !hasUnpublishedChanges)) {
          throw new QuestlineError(
            "resource.invalid_state",
            `Only a draft can be published (${kind} ${current.id} is ${state} with no unpublished changes)`,
          );
        }
        await resource.validate?.(current.data, { workspaceId: identity.workspaceId, publishing: true });
        const now = new Date().toISOString();
        const { hasUnpublishedChanges: _dropped, ...rest } = current.data;
        return {
          data: { ...rest, state: "PUBLISHED", publishedAt: now, publishedVersion: current.version + 1 } as TData,
          live: true,
        };
      },
      catalog,
      expectedVersion(c.req.header("if-match")),
    );
    return c.json(respond(record));
  });

  if (resource.archivable) {
    const transition = (from: LifecycleState, to: LifecycleState) => async (c: Context<CoreEnv>) => {
      const identity = requireWriter(c);
      const record = await updateConfig<TData>(
        identity.workspaceId,
        kind,
        c.req.param("id") ?? "",
        (current) => {
          if (current.data.state !== from) {
            throw new QuestlineError(
              "resource.invalid_state",
              `${kind} ${current.id} is ${current.data.state}, not ${from}`,
            );
          }
          return { data: { ...current.data, state: to }, live: true };
        },
        catalog,
        expectedVersion(c.req.header("if-match")),
      );
      return c.json(respond(record));
    };
    routes.post("/:id/archive", transition("PUBLISHED", "ARCHIVED"));
    routes.post("/:id/unarchive", transition("ARCHIVED", "PUBLISHED"));
  }

  return routes;
}
