import { z } from "@hono/zod-openapi";
import { langSchema } from "@questline/contracts";
import { parseItem } from "../db/items";
import type { LiveEntry } from "../records/live";
import { type LifecycleFields, type ResourceDefinition, stageSchema } from "../records/resource-routes";
import { idSchema, invalid, originSchema, withoutDefaults } from "../records/schemas";
import {
  mergeTranslated,
  newTranslatedDraft,
  type Translation,
  translationSchema,
  translationsSchema,
} from "../records/translated";

/** A virtual currency (XP, coins, tokens) with the balance limits every operation respects. */
export interface VirtualCurrencyData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  icon?: string;
  /** Defaults to 0: balances never go negative unless the currency allows it. */
  minAllowedBalance: number;
  maxAllowedBalance?: number;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
}

const limit = z.number().finite().min(-1e12).max(1e12);

export const createCurrencySchema = z.strictObject({
  virtualCurrencyId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogVirtualCurrencyId: z.string().min(2).max(30).optional(),
  icon: z.string().max(2_048).optional(),
  minAllowedBalance: limit.default(0),
  maxAllowedBalance: limit.optional(),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateCurrencySchema = withoutDefaults(createCurrencySchema)
  .omit({ virtualCurrencyId: true, origin: true })
  .partial();

export const virtualCurrencyResource: ResourceDefinition<
  z.infer<typeof createCurrencySchema>,
  z.infer<typeof updateCurrencySchema>,
  VirtualCurrencyData
> = {
  kind: "virtualCurrency",
  publishing: "staged",
  idField: "virtualCurrencyId",
  api: {
    tag: "VirtualCurrencies",
    operation: "virtualCurrencies",
    noun: "virtual currency",
    component: "VirtualCurrency",
    fields: ["translations"],
  },
  createSchema: createCurrencySchema,
  updateSchema: updateCurrencySchema,
  create: (input) => newTranslatedDraft(input, "virtualCurrencyId"),
  update: mergeTranslated,
  validate(data) {
    if (data.maxAllowedBalance !== undefined && data.maxAllowedBalance <= data.minAllowedBalance) {
      throw invalid("maxAllowedBalance", "must be greater than minAllowedBalance");
    }
  },
  catalog(data) {
    return {
      state: data.state,
      origin: data.origin,
      defaultLang: data.defaultLang,
      texts: data.translations.map((t) => ({ lang: t.lang, title: t.label, description: t.description ?? "" })),
      mediaRefs: data.icon && data.icon.length <= 256 ? [data.icon] : [],
      payload: {
        name: data.name,
        minAllowedBalance: data.minAllowedBalance,
        ...(data.maxAllowedBalance !== undefined ? { maxAllowedBalance: data.maxAllowedBalance } : {}),
      },
    };
  },
};

/** The live (published) snapshot of a currency, as the engine and balances read it. */
const liveCurrencyDataSchema = z.object({
  name: z.string(),
  origin: originSchema,
  catalogVirtualCurrencyId: z.string().optional(),
  icon: z.string().optional(),
  minAllowedBalance: z.number(),
  maxAllowedBalance: z.number().optional(),
  defaultLang: z.string(),
  langs: z.array(z.string()),
  translations: z.array(translationSchema),
  state: z.enum(["DRAFT", "PUBLISHED", "ARCHIVED"]),
  publishedAt: z.string().optional(),
  publishedVersion: z.number().int().optional(),
});

/**
 * A currency as a balance embeds it: its live version with the published record's timestamps
 * (absent for a currency last published before snapshots kept them), the lifecycle as `stage`
 * like every record view.
 */
export const liveVirtualCurrencySchema = liveCurrencyDataSchema
  .omit({ state: true })
  .extend({
    virtualCurrencyId: z.string(),
    stage: stageSchema,
    publishedAt: z
      .string()
      .optional()
      .openapi({ format: "date-time", description: "When the live version was published" }),
    createdAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime().optional().openapi({ description: "The live version's" }),
  })
  .openapi("LiveVirtualCurrency");
export type LiveVirtualCurrency = z.infer<typeof liveVirtualCurrencySchema>;

export function toLiveVirtualCurrency(entry: LiveEntry): LiveVirtualCurrency {
  const { state, ...data } = parseItem(
    liveCurrencyDataSchema,
    entry.data as Record<string, unknown>,
    "live virtual currency",
  );
  const stamps = entry.createdAt && entry.updatedAt ? { createdAt: entry.createdAt, updatedAt: entry.updatedAt } : {};
  return { virtualCurrencyId: entry.id, ...data, stage: state, ...stamps };
}
