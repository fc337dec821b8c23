import { submitQuizSchema } from "@questline/contracts";
import { Hono } from "hono";
import type { CoreEnv } from "../../http/env";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { resourceRoutes } from "../../records/resource-routes";
import { actingUserId } from "../../users/acting-user";
import { requirePublished, toAppView } from "../app-view";
import { submitLearningItem, toSubmitResponse } from "../progress/submit";
import { type QuizData, quizResource } from "./model";

/** `/dashboard/quizzes`: CRUD + publish (reference: dashboard `quizzes/*`). */
export function quizDashboardRoutes() {
  return resourceRoutes(quizResource);
}

/** `/app/quizzes`: a published quiz without its answer, and `submit`. */
export function quizAppRoutes() {
  const routes = new Hono<CoreEnv>();

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
