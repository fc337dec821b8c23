/**
 * Every AWS name and tag carries the project, the stack and the region, so that two stacks
 * (or the two regions of one stack) never collide and a resource found in the console tells
 * where it came from.
 */
export interface NamingScope {
  project: string;
  stack: string;
  region: string;
}

/** `questline-prod-eu-west-1-api` */
export function resourceName(scope: NamingScope, concern: string): string {
  return `${scope.project}-${scope.stack}-${scope.region}-${concern}`;
}

export function scopeTags(scope: NamingScope): Record<string, string> {
  return {
    project: scope.project,
    stack: scope.stack,
    region: scope.region,
    "managed-by": "pulumi",
  };
}

/**
 * Cloudflare names follow wrangler's environment convention: the production stack uses the
 * bare name (`questline-api`), other stacks append the stack (`questline-api-staging`), which
 * is what `wrangler --env staging` targets.
 */
export function edgeName(baseName: string, stack: string): string {
  return stack === "prod" ? baseName : `${baseName}-${stack}`;
}
