import { z } from "@hono/zod-openapi";
import { submitQuizSchema } from "@questline/contracts";
import { documentedRouter, documentOperation } from "../../http/openapi";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { resourceRoutes } from "../../records/resource-routes";
import { actingUserId } from "../../users/acting-user";
import { requirePublished, toAppView } from "../app-view";
import { submitLearningItem, submitResponseSchema, toSubmitResponse } from "../progress/submit";
import { type QuizData, quizResource } from "./model";

/** `/dashboard/quizzes`: CRUD + publish (reference: dashboard `quizzes/*`). */
export function quizDashboardRoutes() {
  return resourceRoutes(quizResource);
}

/** `/app/quizzes`: a published quiz without its answer, and `submit`. */
export function quizAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "post",
    path: "/:quizId/submit",
    operationId: "app/quizzes/submit",
    tag: "Quizzes",
    actingUser: true,
    summary: "Submit the user's answer to a published quiz (once per `x-idempotency-key`)",
    headers: z.object({
      "x-idempotency-key": z
        .string()
        .max(128)
        .optional()
        .openapi({ description: "Repeating a key returns the first submission" }),
    }),
    body: submitQuizSchema,
    responses: { 200: { description: "The submission", schema: submitResponseSchema("quizId", "QuizSubmission") } },
    writes: true,
  });

  routes.get("/:quizId", async (c) => {
    const item = await requirePublished(recordRef(c.get("identity"), "quiz", c.req.param("quizId")));
    return c.json(toAppView("quizId", item, c.req.query("lang")));
  });

  routes.post("/:quizId/submit", async (c) => {
    const identity = c.get("identity");
    const userId = await actingUserId(c);
    const input = await readJson(c, submitQuizSchema);
    const quiz = await requirePublished<QuizData>(recordRef(identity, "quiz", c.req.param("quizId")));
    const { submission, replayed } = await submitLearningItem(c.get("events"), {
      workspaceId: identity.workspaceId,
      userId,
      accountId: identity.accountId,
      item: quiz,
      itemType: "quiz",
      progress: input.progress,
      context: input.context,
      lang: input.lang,
      answer: input.answer,
      outcome: input.answer === quiz.data.correctAnswer ? "SUCCESS" : "FAIL",
      difficulty: quiz.data.difficulty,
      parentId: input.parentId,
      parentType: input.parentType,
      idempotencyKey: c.req.header("x-idempotency-key"),
    });
    if (replayed) c.header("x-submission-replayed", "true");
    return c.json(toSubmitResponse(submission), 200);
  });

  return routes;
}
