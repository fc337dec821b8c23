import { z } from "@hono/zod-openapi";
import { currentRegion } from "./store";

/**
 * Who owns an entity, as the reference has it on every entity it returns: the account, the
 * workspace and the region that created it. Stored items carry them since they were added;
 * an older item without `sourceRegion` reads as this region's (the only one that wrote before
 * replication), one without `accountId` leaves it out (we never invent an account).
 */
export interface OwnerFields {
  accountId?: string;
  workspaceId: string;
  sourceRegion: string;
}

export function ownerFields(source: {
  accountId?: string | undefined;
  workspaceId: string;
  sourceRegion?: string | undefined;
}): OwnerFields {
  return {
    ...(source.accountId ? { accountId: source.accountId } : {}),
    workspaceId: source.workspaceId,
    sourceRegion: source.sourceRegion ?? currentRegion(),
  };
}

/** The fields a new item stores for `ownerFields` (the caller's account; this region). */
export function newOwnerFields(identity: { accountId?: string | undefined; workspaceId: string }): OwnerFields {
  return ownerFields({
    accountId: identity.accountId,
    workspaceId: identity.workspaceId,
    sourceRegion: currentRegion(),
  });
}

/** `OwnerFields` in response schemas. */
export const ownerShape = {
  accountId: z
    .string()
    .optional()
    .openapi({ description: "The workspace's account (absent for a token without one)", example: "Acc0000001" }),
  workspaceId: z.string().openapi({ example: "Wsp0000001" }),
  sourceRegion: z.string().openapi({ description: "The region that created it", example: "eu-west-1" }),
};

/**
 * Translations as the reference lists them: each entry with its entity's id, owner and
 * timestamps. A translation is stored inside its entity, so the entity's timestamps are its own.
 */
export function translationsView<T extends object>(
  idField: string,
  entity: { id: string; owner: OwnerFields; createdAt: string; updatedAt: string },
  translations: readonly T[],
): Record<string, unknown>[] {
  return translations.map((t) => ({
    [idField]: entity.id,
    ...t,
    ...entity.owner,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  }));
}

/** The schema of one `translationsView` entry, from the stored translation's schema. */
export function translationViewSchema(idField: string, entry: z.ZodObject): z.ZodObject {
  return entry.extend({
    [idField]: z.string(),
    ...ownerShape,
    createdAt: z.iso.datetime().openapi({ description: "The entity's (translations are part of it)" }),
    updatedAt: z.iso.datetime().openapi({ description: "The entity's (translations are part of it)" }),
  });
}
