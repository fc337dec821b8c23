import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CATALOG_ITEM_TYPES,
  type CatalogItemType,
  CONTENT_STATES,
  type ContentState,
  isCatalogItemType,
  QuestlineError,
} from "@questline/contracts";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { forwardToCore } from "../forward/routes";
import { cachedCatalogResponse } from "../http/catalog-cache";
import { preferredLanguage } from "../http/language";
import { authErrorResponses, bearerSecurity, langQuery, notFoundResponse, upstreamResponses } from "../http/openapi";
import { getCatalogItem, listCatalogItems } from "./browse";
import { searchCatalog } from "./search";

const PUBLISHED: readonly ContentState[] = ["PUBLISHED"];

const searchQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(256)
    .openapi({ description: "What the user typed; treated as plain words", example: "clim" }),
  type: z
    .string()
    .max(256)
    .optional()
    .openapi({ description: `Comma list of item types (${CATALOG_ITEM_TYPES.join(", ")})` }),
  tag: z.string().min(1).max(128).optional(),
  lang: langQuery.openapi({ description: "Only texts in this language (default: token language with fallback)" }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(512).optional().openapi({ description: "`nextCursor` of the previous page" }),
  facets: z
    .enum(["true", "false"])
    .default("true")
    .openapi({ description: "Facet counts per type and tag (first page only)" }),
});
const dashboardSearchQuery = searchQuery.extend({
  state: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: `Comma list of states (${CONTENT_STATES.join(", ")}); default all` }),
});

const hitSchema = z.object({
  itemType: z.enum(CATALOG_ITEM_TYPES),
  itemId: z.string(),
  lang: z.string(),
  title: z.string(),
  titleHighlight: z.string().openapi({ description: "HTML-escaped title with matches in <mark>" }),
  snippet: z.string().openapi({ description: "HTML-escaped best-matching excerpt with matches in <mark>" }),
  state: z.enum(CONTENT_STATES),
  tags: z.array(z.string()),
  version: z.number().int(),
  updatedAt: z.string(),
  score: z.number(),
});
const searchResponse = z
  .object({
    items: z.array(hitSchema),
    nextCursor: z.string().nullable(),
    facets: z
      .object({
        total: z.number().int(),
        types: z.record(z.string(), z.number().int()),
        tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
      })
      .optional(),
  })
  .openapi("CatalogSearchResponse");

function parseList<T extends string>(raw: string | undefined, allowed: (v: string) => v is T, field: string): T[] {
  if (!raw) return [];
  const values = raw
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = values.find((v) => !allowed(v));
  if (bad !== undefined) {
    throw new QuestlineError("request.validation_failed", "Request validation failed", {
      details: [{ path: field, message: `unknown value \`${bad.slice(0, 64)}\`` }],
    });
  }
  return [...new Set(values)] as T[];
}
const isState = (v: string): v is ContentState => (CONTENT_STATES as readonly string[]).includes(v);

async function runSearch(c: Context<AppEnv>, query: z.infer<typeof dashboardSearchQuery>, states: ContentState[]) {
  const identity = c.var.identity;
  const preferred = query.lang ? undefined : preferredLanguage(c);
  return cachedCatalogResponse(c, query.lang ?? preferred, () =>
    searchCatalog(c.env.DB, {
      workspaceId: identity.workspaceId,
      q: query.q,
      types: parseList<CatalogItemType>(query.type, isCatalogItemType, "type"),
      ...(query.tag ? { tag: query.tag } : {}),
      states,
      ...(query.lang ? { lang: query.lang } : {}),
      ...(preferred ? { preferredLang: preferred } : {}),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      facets: query.facets === "true",
    }),
  );
}

/**
 * The browse collections the reference App API has, served from D1. `fields`: the reference's
 * `fields` values of the item's `GET /{id}`; those in `CORE_FIELDS` are per-user and live only in
 * the core.
 */
export const BROWSE_COLLECTIONS = [
  {
    path: "learning-groups",
    itemType: "learningGroup",
    idField: "learningGroupId",
    tag: "Learning groups",
    fields: ["tags", "translation", "items", "progress", "rewardsPreview"],
  },
  {
    path: "quizzes",
    itemType: "quiz",
    idField: "quizId",
    tag: "Quizzes",
    fields: ["tags", "translation", "progress", "computedStyle", "rewardsPreview"],
  },
  {
    path: "slides",
    itemType: "slide",
    idField: "slideId",
    tag: "Slides",
    fields: ["tags", "translation", "progress", "computedStyle", "rewardsPreview"],
  },
  {
    path: "badge-configurations",
    itemType: "badgeConfiguration",
    idField: "badgeConfigurationId",
    tag: "Badge configurations",
    fields: [],
  },
] as const satisfies readonly {
  path: string;
  itemType: CatalogItemType;
  idField: string;
  tag: string;
  fields: readonly string[];
}[];

/** `fields` values only the core can answer: the caller's own progress and reward preview. */
export const CORE_FIELDS: readonly string[] = ["progress", "rewardsPreview"];

/** `fields` as the reference sends it (`fields=a&fields=b`), also as a comma list; unknown values are a 400. */
function requestedFields(raw: string | string[] | undefined, allowed: readonly string[]): string[] {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined) {
    throw new QuestlineError("request.validation_failed", "Request validation failed", {
      details: [{ path: "fields", message: `unknown field \`${bad.slice(0, 64)}\`; one of ${allowed.join(", ")}` }],
    });
  }
  return [...new Set(values)];
}

const entitySchema = z.record(z.string(), z.unknown()).openapi("CatalogEntity", {
  description: "The item's display payload plus localized title/description, langs, tags, state, version, timestamps",
});

export function registerCatalogRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/app/catalog/search",
      tags: ["Catalog"],
      summary: "Full-text search of the published catalog",
      security: bearerSecurity,
      request: { query: searchQuery },
      responses: {
        200: { description: "Ranked hits", content: { "application/json": { schema: searchResponse } } },
        304: { description: "Not modified (If-None-Match)" },
        ...authErrorResponses,
      },
    }),
    ((c: Context<AppEnv>) =>
      runSearch(c, c.req.valid("query" as never) as z.infer<typeof searchQuery>, [...PUBLISHED])) as never,
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/catalog/search",
      tags: ["Catalog"],
      summary: "Full-text search of the catalog in any state (dashboard)",
      security: bearerSecurity,
      request: { query: dashboardSearchQuery },
      responses: {
        200: { description: "Ranked hits", content: { "application/json": { schema: searchResponse } } },
        304: { description: "Not modified (If-None-Match)" },
        ...authErrorResponses,
      },
    }),
    ((c: Context<AppEnv>) => {
      const query = c.req.valid("query" as never) as z.infer<typeof dashboardSearchQuery>;
      const states = parseList<ContentState>(query.state, isState, "state");
      return runSearch(c, query, states.length ? states : [...CONTENT_STATES]);
    }) as never,
  );

  for (const collection of BROWSE_COLLECTIONS) {
    const listQuery = z.object({
      lang: langQuery,
      limit: z.coerce.number().int().min(1).max(50).default(20),
      nextToken: z.string().max(512).optional(),
    });
    app.openapi(
      createRoute({
        method: "get",
        path: `/app/${collection.path}`,
        tags: [collection.tag],
        summary: `List published ${collection.path} (from the edge catalog)`,
        security: bearerSecurity,
        request: { query: listQuery },
        responses: {
          200: {
            description: "One page",
            content: {
              "application/json": {
                schema: z.object({ items: z.array(entitySchema), nextToken: z.string().nullable() }),
              },
            },
          },
          304: { description: "Not modified (If-None-Match)" },
          ...authErrorResponses,
        },
      }),
      ((c: Context<AppEnv>) => {
        const query = c.req.valid("query" as never) as z.infer<typeof listQuery>;
        const lang = preferredLanguage(c, query.lang);
        return cachedCatalogResponse(c, lang, () =>
          listCatalogItems(
            drizzle(c.env.DB),
            {
              workspaceId: c.var.identity.workspaceId,
              itemType: collection.itemType,
              states: PUBLISHED,
              ...(lang ? { lang } : {}),
            },
            collection.idField,
            query.limit,
            query.nextToken,
          ),
        );
      }) as never,
    );

    const params = z.object({
      [collection.idField]: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .openapi({ param: { name: collection.idField, in: "path" } }),
    });
    const fields: readonly string[] = collection.fields;
    const perUser = fields.filter((f) => CORE_FIELDS.includes(f));
    const getQuery = z.object({
      lang: langQuery,
      ...(fields.length
        ? {
            fields: z
              .union([z.string().max(256), z.array(z.string().max(64)).max(16)])
              .optional()
              .openapi({
                param: { style: "form", explode: true },
                description:
                  `Additional parts (${fields.join(", ")}), repeated or as a comma list. ` +
                  `${perUser.join(" and ")} belong to the caller (or the user an M2M client acts for): ` +
                  "asking for them answers from the core, with that user's part; without them the " +
                  "item comes from the edge catalog.",
              }),
          }
        : {}),
    });
    app.openapi(
      createRoute({
        method: "get",
        path: `/app/${collection.path}/{${collection.idField}}`,
        tags: [collection.tag],
        summary: `Get one published ${collection.itemType} (edge catalog; from the core with per-user fields)`,
        security: bearerSecurity,
        request: { params, query: getQuery },
        responses: {
          200: { description: "The item", content: { "application/json": { schema: entitySchema } } },
          304: { description: "Not modified (If-None-Match)" },
          ...authErrorResponses,
          ...notFoundResponse,
          ...(perUser.length ? upstreamResponses : {}),
        },
      }),
      (async (c: Context<AppEnv>) => {
        const id = (c.req.valid("param" as never) as Record<string, string>)[collection.idField] ?? "";
        const query = c.req.valid("query" as never) as { lang?: string; fields?: string | string[] };
        // A per-user part exists only in the core: the whole answer then comes from there, so the
        // item and the user's progress are one consistent snapshot (and never shared-cached).
        if (requestedFields(query.fields, fields).some((f) => CORE_FIELDS.includes(f))) return forwardToCore(c);
        const lang = preferredLanguage(c, query.lang);
        const scope = {
          workspaceId: c.var.identity.workspaceId,
          itemType: collection.itemType,
          states: PUBLISHED,
          ...(lang ? { lang } : {}),
        };
        return cachedCatalogResponse(c, lang, async () => {
          const item = await getCatalogItem(drizzle(c.env.DB), scope, collection.idField, id);
          if (!item) throw new QuestlineError("resource.not_found", "Not found");
          return item;
        });
      }) as never,
    );
  }
}
