import { z } from "@hono/zod-openapi";
import {
  createMediaRequestSchema,
  mediaKeyProblem,
  mediaTranslationSchema,
  paginationQuerySchema,
  QuestlineError,
} from "@questline/contracts";
import { requireMediaWriter } from "../http/caller";
import { requireWriter } from "../http/guards";
import { documentedRouter, documentOperation, pageSchema, referenceFieldsQuery } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { recordRef } from "../records/kinds";
import { createRecord, deleteRecord, listRecords, requireRecord, updateRecord } from "../records/store";
import { type MediaData, mediaContent, mediaRecordSchema, toMedia, toMediaRecord } from "./model";

const updateMediaSchema = z.strictObject({
  translations: z.array(mediaTranslationSchema).min(1).max(10).optional(),
  tags: z.array(z.string().min(1).max(128)).max(50).optional(),
});

/**
 * `/dashboard/media` — the Media entity. Objects are uploaded to (and validated by) the media
 * worker, which then records them here through the signed write path: creating and deleting a
 * record needs the media worker's own principal (`requireMediaWriter`), so a client cannot
 * forge a record through the api worker's forwarding. The key must be canonical, in the
 * caller's workspace, and name the record's id, visibility and file name. Stored versioned (`WS#<ws>` / `MEDIA#<id>`, entityType "media") so the
 * sync pipeline indexes it into D1.
 */
/** The reference's `fields` on media reads: tags and translations are always in the record. */
const mediaListQuery = paginationQuerySchema.extend(
  referenceFieldsQuery(["tags", "translations"], ["tags", "translations"]).shape,
);

export function mediaRoutes() {
  const routes = documentedRouter();
  // The document: the reads and the edit. Creating and deleting a record are the media
  // worker's own calls; clients upload and delete through the media host's operations.
  const record = mediaRecordSchema;
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "dashboard/media/list",
    tag: "MediaLibrary",
    summary: "List the workspace's media records in id order",
    query: mediaListQuery,
    responses: { 200: { description: "A page of media records", schema: pageSchema(record) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:mediaId",
    operationId: "dashboard/media/get",
    tag: "MediaLibrary",
    summary: "Get a media record",
    responses: { 200: { description: "The media record", schema: record } },
  });
  documentOperation(routes, {
    method: "patch",
    path: "/:mediaId",
    operationId: "dashboard/media/update",
    tag: "MediaLibrary",
    summary: "Change a media record's translations or tags (the stored object never changes)",
    body: updateMediaSchema,
    responses: { 200: { description: "The media record, updated", schema: record } },
    writes: true,
  });

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    requireMediaWriter(c);
    const input = await readJson(c, createMediaRequestSchema);
    const problem = mediaKeyProblem(input.key, {
      workspaceId: identity.workspaceId,
      mediaId: input.mediaId,
      visibility: input.visibility,
      fileName: input.fileName,
    });
    if (problem) {
      throw new QuestlineError("request.validation_failed", "The object key does not belong to this media", {
        details: [{ path: "key", message: problem }],
      });
    }
    const item = await createRecord(recordRef(identity, "media", input.mediaId), mediaContent(input));
    return c.json(toMedia(item), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, mediaListQuery);
    const page = await listRecords<MediaData>(c.get("identity"), "media", { limit, nextToken });
    return c.json({ items: page.items.map(toMediaRecord), nextToken: page.nextToken ?? null });
  });

  routes.get("/:mediaId", async (c) => {
    const ref = recordRef(c.get("identity"), "media", c.req.param("mediaId"));
    return c.json(toMediaRecord(await requireRecord<MediaData>(ref)));
  });

  routes.patch("/:mediaId", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, updateMediaSchema);
    const ref = recordRef(identity, "media", c.req.param("mediaId"));
    const item = await updateRecord<MediaData>(ref, (current) =>
      mediaContent({
        ...current.data,
        ...(input.translations ? { translations: input.translations } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
      }),
    );
    return c.json(toMediaRecord(item));
  });

  routes.delete("/:mediaId", async (c) => {
    const identity = requireWriter(c);
    requireMediaWriter(c);
    const mediaId = c.req.param("mediaId");
    await deleteRecord(recordRef(identity, "media", mediaId));
    return c.json({ mediaId, deleted: true });
  });

  return routes;
}
