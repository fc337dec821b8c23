import { activityLogConsumer } from "../activities/consumer";
import { badgeConsumer } from "../badges/consumer";
import { learningProgressConsumer } from "../content/progress/consumer";
import { leaderboardConsumer } from "../leaderboards/consumer";
import { missionConsumer } from "../missions/consumer";
import { type AnyEventConsumer, createEventPipeline, type EventPipeline } from "../pipeline";
import { rewardConsumer } from "../rewards/consumer";
import { streakConsumer } from "../streaks/consumer";
import { loadRuleUser } from "../users/rule-user";
import { walletConsumer } from "../wallet/consumer";

/**
 * The consumers of the event pipeline, in the order each event reaches them. A feature that
 * reacts to events exports one consumer and joins this list (see aws-core/README.md,
 * "Adding a feature"). Missions run first (their completions are derived events the others
 * see), reward rules next (crediting through the wallet and awarding badges), then learning
 * progress, leaderboards and streaks; the wallet and badges write their items last. Activity
 * logs only publish their `activity-log.created` fact (first, so the bus sees it first).
 */
export const EVENT_CONSUMERS: readonly AnyEventConsumer[] = [
  activityLogConsumer,
  missionConsumer,
  rewardConsumer,
  learningProgressConsumer,
  leaderboardConsumer,
  streakConsumer,
  walletConsumer,
  badgeConsumer,
];

export function createAppEventPipeline(consumers: readonly AnyEventConsumer[] = EVENT_CONSUMERS): EventPipeline {
  return createEventPipeline({ consumers, loadUser: loadRuleUser });
}
