import { z } from "zod";

/**
 * The feature-flag catalog of the platform and the schema of the AppConfig configuration
 * document that switches them per stage and per workspace. This file imports only zod, so
 * infra-pulumi can deploy the defaults and the JSON Schema validator from it, the local stack
 * can seed its flags file and the docs can list every flag.
 *
 * The document (one freeform JSON configuration profile per stage):
 *
 * ```json
 * { "flags": { "workspace-policies": { "enabled": true, "rolloutPercent": 100, "allow": [], "deny": [] } } }
 * ```
 *
 * A flag the document leaves out keeps its catalog default; a flag the document names that the
 * catalog does not know is ignored (a flag may be deployed before the code that reads it).
 */
export interface FlagSpec {
  description: string;
  /** What the flag is when the document leaves it out (also the initial deployment). */
  default: FlagSetting;
}

export const FLAG_CATALOG = {
  "workspace-policies": {
    description:
      "Workspaces may add their own Cedar policies (`POST /dashboard/authorization/policies`). Off: creating one answers 403 `feature.disabled`; existing policies stay in force and can still be read, replaced and deleted.",
    default: { enabled: true, rolloutPercent: 100, allow: [], deny: [] },
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAG_CATALOG;
export const FLAG_NAMES = Object.keys(FLAG_CATALOG) as FlagName[];

const workspaceIds = z.array(z.string().min(1).max(64)).max(1000).default([]);

/** One flag's setting in the document. */
export const flagSettingSchema = z.strictObject({
  /** The kill switch: false turns the flag off for every workspace, allow list included. */
  enabled: z.boolean(),
  /**
   * The share of workspaces it is on for (0–100, steps of 0.01), chosen by a stable hash of the
   * workspace id and the flag name: raising it only adds workspaces, lowering it only removes.
   */
  rolloutPercent: z.number().min(0).max(100).default(100),
  /** Workspaces it is always on for (while enabled), whatever the percentage. */
  allow: workspaceIds,
  /** Workspaces it is always off for; wins over `allow`. */
  deny: workspaceIds,
});
export type FlagSetting = z.output<typeof flagSettingSchema>;

/** The AppConfig configuration document. */
export const flagsDocumentSchema = z.object({
  flags: z.record(z.string().regex(/^[a-z0-9-]+$/), flagSettingSchema).default({}),
});
export type FlagsDocument = z.output<typeof flagsDocumentSchema>;

/** The document with every flag at its catalog default: the first deployment and the local seed. */
export function defaultFlagsDocument(): FlagsDocument {
  return {
    flags: Object.fromEntries(
      FLAG_NAMES.map((name) => {
        const setting = FLAG_CATALOG[name].default;
        return [name, { ...setting, allow: [...setting.allow], deny: [...setting.deny] }];
      }),
    ),
  };
}

/** The JSON Schema of the document (AppConfig's validator on the configuration profile). */
export function flagsDocumentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(flagsDocumentSchema, { io: "input" }) as Record<string, unknown>;
}

/**
 * The table of every flag for docs/feature-flags.md (generated: `npm run config:doc`;
 * `npm run check` fails when the committed copy differs).
 */
export function flagsTable(): string {
  const rows = FLAG_NAMES.map((name) => {
    const spec: FlagSpec = FLAG_CATALOG[name];
    const d = spec.default;
    const fallback = `${d.enabled ? "on" : "off"}, ${d.rolloutPercent} %`;
    return [`\`${name}\``, fallback, spec.description.replaceAll("|", "\\|")];
  });
  return [
    "| flag | default (enabled, rollout) | what it gates |",
    "| --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}
