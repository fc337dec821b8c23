import type { Hono } from "hono";
import { learningPathRoutes } from "../content/learning-paths/routes";
import { leaderboardConfigurationRoutes, runtimeLeaderboardRoutes } from "../leaderboards/routes";
import { mediaRoutes } from "../media/routes";
import type { CoreEnv } from "./env";

/**
 * The single place routers are mounted. Keep it a flat list: one line per router, with the
 * full path prefix (`/dashboard/...` or `/app/...`) so a grep finds every route.
 */
export function registerRoutes(app: Hono<CoreEnv>): void {
  app.route("/dashboard/learning-paths", learningPathRoutes());
  app.route("/dashboard/runtime-leaderboard-configurations", leaderboardConfigurationRoutes());
  app.route("/dashboard/runtime-leaderboards", runtimeLeaderboardRoutes("dashboard"));
  app.route("/app/runtime-leaderboards", runtimeLeaderboardRoutes("app"));
  app.route("/dashboard/media", mediaRoutes());
}
