import type { OpenAPIHono } from "@hono/zod-openapi";
import { activityDashboardRoutes, activityLogAppRoutes } from "../activities/routes";
import { authorizationRoutes } from "../authorization";
import { badgeAppRoutes, badgeConfigurationRoutes } from "../badges/routes";
import { assignmentAppRoutes, assignmentDashboardRoutes } from "../content/assignments/routes";
import { learningGroupAppRoutes, learningGroupDashboardRoutes } from "../content/learning-groups/routes";
import { learningPathCloneRoutes } from "../content/learning-paths/clone";
import { learningPathRoutes } from "../content/learning-paths/routes";
import { quizAppRoutes, quizDashboardRoutes } from "../content/quizzes/routes";
import { learningPathRuleRoutes } from "../content/rules/routes";
import { slideAppRoutes, slideDashboardRoutes } from "../content/slides/routes";
import { flagRoutes } from "../flags";
import type { CoreEnv } from "../http/env";
import { leaderboardConfigurationRoutes, runtimeLeaderboardRoutes } from "../leaderboards/routes";
import { mediaRoutes } from "../media/routes";
import {
  missionAppRoutes,
  missionConfigurationRoutes,
  missionDashboardRoutes,
  missionRuleRoutes,
} from "../missions/routes";
import { rewardRuleRoutes } from "../rewards/routes";
import { streakAppRoutes, streakConfigurationRoutes, streakRuleRoutes } from "../streaks/routes";
import { tagRoutes } from "../tags/routes";
import { userAppRoutes, userDashboardRoutes } from "../users/routes";
import {
  adminTransactionRoutes,
  balanceAppRoutes,
  transactionAppRoutes,
  virtualCurrencyRoutes,
} from "../wallet/routes";
import { webhookRoutes } from "../webhooks";

/**
 * The single place routers are mounted. Keep it a flat list: one line per router, with the
 * full path prefix (`/dashboard/...` or `/app/...`) so a grep finds every route.
 */
export function registerRoutes(app: OpenAPIHono<CoreEnv>): void {
  app.route("/dashboard/learning-paths", learningPathRoutes());
  app.route("/dashboard/learning-groups", learningGroupDashboardRoutes());
  app.route("/dashboard/quizzes", quizDashboardRoutes());
  app.route("/dashboard/slides", slideDashboardRoutes());
  app.route("/app/learning-groups", learningGroupAppRoutes());
  app.route("/app/quizzes", quizAppRoutes());
  app.route("/app/slides", slideAppRoutes());
  app.route("/dashboard/learning-paths", learningPathCloneRoutes());
  app.route("/dashboard/learning-path-rules", learningPathRuleRoutes());
  app.route("/dashboard/learning-path-assignments", assignmentDashboardRoutes());
  app.route("/app/learning-path-assignments", assignmentAppRoutes());
  app.route("/dashboard/runtime-leaderboard-configurations", leaderboardConfigurationRoutes());
  app.route("/dashboard/runtime-leaderboards", runtimeLeaderboardRoutes("dashboard"));
  app.route("/app/runtime-leaderboards", runtimeLeaderboardRoutes("app"));
  app.route("/dashboard/media", mediaRoutes());
  app.route("/dashboard/activities", activityDashboardRoutes());
  app.route("/dashboard/tags", tagRoutes());
  app.route("/dashboard/virtual-currencies", virtualCurrencyRoutes());
  app.route("/dashboard/reward-rules", rewardRuleRoutes());
  app.route("/dashboard/badge-configurations", badgeConfigurationRoutes());
  app.route("/dashboard/mission-configurations", missionConfigurationRoutes());
  app.route("/dashboard/mission-rules", missionRuleRoutes());
  app.route("/dashboard/missions", missionDashboardRoutes());
  app.route("/dashboard/users", userDashboardRoutes());
  app.route("/dashboard/virtual-transactions", adminTransactionRoutes());
  app.route("/app/activity-logs", activityLogAppRoutes());
  app.route("/app/missions", missionAppRoutes());
  app.route("/app/badges", badgeAppRoutes());
  app.route("/app/virtual-balances", balanceAppRoutes());
  app.route("/app/virtual-transactions", transactionAppRoutes());
  app.route("/app/users", userAppRoutes());
  app.route("/dashboard/streak-configurations", streakConfigurationRoutes());
  app.route("/dashboard/streak-rules", streakRuleRoutes());
  app.route("/app/streaks", streakAppRoutes());
  app.route("/dashboard/authorization", authorizationRoutes());
  app.route("/dashboard/webhooks", webhookRoutes());
  app.route("/app/flags", flagRoutes("app"));
  app.route("/dashboard/flags", flagRoutes("dashboard"));
}
