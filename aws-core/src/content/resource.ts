import {
  type CatalogItemType,
  type Identity,
  newId,
  paginationQuerySchema,
  QuestlineError,
} from "@questline/contracts";
import { Hono } from "hono";
import type { z } from "zod";
import { entityRef } from "../db/keys";
import {
  type CatalogInput,
  type CompanionWrites,
  deleteVersioned,
  listVersioned,
  putNewVersioned,
  requireVersioned,
  updateVersioned,
  type VersionedItem,
} from "../db/versioned";
import { assertReferencesExist, type Reference } from "../engine/references";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { readJson, readQuery } from "../http/validation";
import { type ContainerType, liveStructureWrites, structureChanged } from "./live-structure";

/** Fields every learning content record carries. */
export interface ContentLifecycle {
  state: "DRAFT" | "PUBLISHED" | "ARCHIVED";
  publishedAt?: string;
}

/**
 * A versioned, catalog-indexed learning content type (quiz, slide, learning group): how a
 * create/update body becomes the stored record and how the record becomes its catalog document.
 */
export interface ContentResource<
  TCreate extends { publish?: boolean | undefined },
  TUpdate,
  TData extends ContentLifecycle,
> {
  entityType: CatalogItemType;
  /** The id field of the reference payloads, e.g. `quizId`. */
  idField: string;
  createSchema: z.ZodType<TCreate>;
  updateSchema: z.ZodType<TUpdate>;
  create(input: TCreate, ctx: { id: string; identity: Identity; now: string }): TData;
  update(current: TData, input: TUpdate): TData;
  /** Display data safe for every app user (never a quiz's correct answer). */
  catalog(data: TData): CatalogInput;
  /** Entities a create or update body names, checked before the write (400 naming the field). */
  references?(input: TCreate | TUpdate, workspaceId: string): Reference[];
  /** A container whose published structure the engine reads from the LIVE partition (live-structure.ts). */
  liveStructure?: ContainerType;
}

/** `If-Match: "<version>"` (optional) pins the version a write applies to. */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new QuestlineError("request.validation_failed", "If-Match must be a version number", {
      details: [{ path: "if-match", message: 'expected a version such as "3"' }],
    });
  }
  return Number(match[1]);
}

/** The dashboard view of a stored record: the data plus the envelope's id, version and timestamps. */
export function toDashboardView<T>(idField: string, item: VersionedItem<T>): Record<string, unknown> {
  return {
    [idField]: item.entityId,
    ...(item.data as Record<string, unknown>),
    version: item.version,
    workspaceId: item.workspaceId,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/**
 * `/dashboard/<content>`: `POST /` (201; `publish: true` publishes at once; optional
 * client-chosen id), `GET /`, `GET /:id`, `PUT /:id` (keeps the state), `POST /:id/publish`
 * (DRAFT → PUBLISHED), `DELETE /:id` (204). Writes need a writer role and accept `If-Match`.
 * Same contract as `/dashboard/learning-paths`.
 */
export function contentDashboardRoutes<
  TCreate extends { publish?: boolean | undefined },
  TUpdate,
  TData extends ContentLifecycle,
>(resource: ContentResource<TCreate, TUpdate, TData>): Hono<CoreEnv> {
  const routes = new Hono<CoreEnv>();
  const { entityType, idField } = resource;
  const view = (item: VersionedItem<TData>) => toDashboardView(idField, item);
  const content = (data: TData) => ({ data, catalog: resource.catalog(data) });
  /** The LIVE structure writes of a container (none for quizzes and slides). */
  const live = (workspaceId: string, id: string) =>
    resource.liveStructure
      ? // A container's data has `state` and `items`; the generic TData only promises `state`.
        (liveStructureWrites(workspaceId, resource.liveStructure, id) as unknown as CompanionWrites<TData>)
      : undefined;
  const changed = (workspaceId: string) => {
    if (resource.liveStructure) structureChanged(workspaceId);
  };

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.createSchema);
    const requested = (input as Record<string, unknown>)[idField];
    const id = typeof requested === "string" ? requested : newId();
    const now = new Date();
    const at = now.toISOString();
    const draft = resource.create(input, { id, identity, now: at });
    const data = input.publish === true ? { ...draft, state: "PUBLISHED" as const, publishedAt: at } : draft;
    await assertReferencesExist(resource.references?.(input, identity.workspaceId) ?? []);
    const item = await putNewVersioned(
      entityRef(identity, entityType, id),
      content(data),
      now,
      live(identity.workspaceId, id),
    );
    changed(identity.workspaceId);
    return c.json(view(item), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listVersioned<TData>(c.get("identity"), entityType, { limit, nextToken });
    return c.json({ items: page.items.map(view), nextToken: page.nextToken ?? null });
  });

  routes.get("/:id", async (c) => {
    return c.json(view(await requireVersioned<TData>(entityRef(c.get("identity"), entityType, c.req.param("id")))));
  });

  routes.put("/:id", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, resource.updateSchema);
    const ref = entityRef(identity, entityType, c.req.param("id"));
    await assertReferencesExist(resource.references?.(input, identity.workspaceId) ?? []);
    const item = await updateVersioned<TData>(
      ref,
      expectedVersion(c.req.header("if-match")),
      (current) => content(resource.update(current.data, input)),
      new Date(),
      live(identity.workspaceId, ref.entityId),
    );
    changed(identity.workspaceId);
    return c.json(view(item));
  });

  routes.post("/:id/publish", async (c) => {
    const identity = requireWriter(c);
    const ref = entityRef(identity, entityType, c.req.param("id"));
    const item = await updateVersioned<TData>(
      ref,
      expectedVersion(c.req.header("if-match")),
      (current, next) => {
        if (current.data.state !== "DRAFT") {
          throw new QuestlineError(
            "resource.invalid_state",
            `Only a DRAFT ${entityType} can be published (it is ${current.data.state})`,
          );
        }
        return content({ ...current.data, state: "PUBLISHED", publishedAt: next.updatedAt });
      },
      new Date(),
      live(identity.workspaceId, ref.entityId),
    );
    changed(identity.workspaceId);
    return c.json(view(item));
  });

  routes.delete("/:id", async (c) => {
    const identity = requireWriter(c);
    const ref = entityRef(identity, entityType, c.req.param("id"));
    await deleteVersioned(ref, expectedVersion(c.req.header("if-match")), live(identity.workspaceId, ref.entityId));
    changed(identity.workspaceId);
    return c.body(null, 204);
  });

  return routes;
}

/** Keeps only the keys of `value` that are defined (for PUT merges). */
export function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function requireDefaultLang(defaultLang: string, translations: readonly { lang: string }[]): void {
  const langs = translations.map((t) => t.lang);
  if (new Set(langs).size !== langs.length || !langs.includes(defaultLang)) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: "translations", message: "each language once, including defaultLang" }],
    });
  }
}
