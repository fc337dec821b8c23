import { langSchema } from "@questline/contracts";
import { z } from "zod";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { idSchema, invalid, originSchema, withoutDefaults } from "../records/schemas";
import { mergeTranslated, newTranslatedDraft, type Translation, translationsSchema } from "../records/translated";

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
