import type { EventConsumer } from "../pipeline/consumer";
import type { LiveConfig } from "../records/live";
import { addBadgeAwards, type BadgeAward } from "./award";
import type { BadgeConfigurationData } from "./model";

/** One attempt's badge awards (rewards add to it; archived or unpublished badges are not awarded). */
export class BadgeAwards {
  readonly awards: BadgeAward[] = [];

  /** Records the award when the badge is published; false when it is not. */
  award(config: LiveConfig, award: BadgeAward): boolean {
    if (badgeOf(config, award.badgeConfigurationId)?.state !== "PUBLISHED") return false;
    this.awards.push(award);
    return true;
  }
}

function badgeOf(config: LiveConfig, id: string): BadgeConfigurationData | undefined {
  return config.badgeConfiguration.get(id)?.data as BadgeConfigurationData | undefined;
}

/** Badges as a consumer of the event pipeline: the attempt's awards, written once in `finish`. */
export const badgeConsumer: EventConsumer<BadgeAwards> = {
  name: "badges",
  load: async () => new BadgeAwards(),
  finish(ctx) {
    const { awards } = ctx.state;
    if (!awards.length) return;
    addBadgeAwards(ctx.tx, ctx.workspaceId, awards, (id) => badgeOf(ctx.config, id)?.defaultLang ?? "en");
    for (const award of awards) {
      ctx.publish({
        type: "badge.earned",
        key: award.badgeConfigurationId,
        data: { badgeConfigurationId: award.badgeConfigurationId },
      });
    }
  },
};
