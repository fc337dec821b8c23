/**
 * The default policy set: today's roles as Cedar policies, every workspace's baseline. A
 * workspace's own policies are evaluated together with these; Cedar's rule that any matching
 * `forbid` wins means the guardrails below hold whatever a workspace adds.
 *
 * Roles are cumulative: an owner is also an admin, an editor and a viewer (the principal's
 * parents are its role and every role below it, see engine.ts).
 */
export interface NamedPolicy {
  id: string;
  description: string;
  statement: string;
}

export const DEFAULT_POLICIES: readonly NamedPolicy[] = [
  {
    id: "default/dashboard-read",
    description: "Every member of a workspace (viewer and up) reads its dashboard API.",
    statement: `permit (principal in Questline::Role::"viewer", action in Questline::Action::"DashboardRead", resource);`,
  },
  {
    id: "default/content-write",
    description: "Editors and up create, change, publish and delete content and configuration.",
    statement: `permit (principal in Questline::Role::"editor", action in Questline::Action::"ContentWrite", resource);`,
  },
  {
    id: "default/balances-and-users",
    description:
      "Admins and owners adjust virtual balances and manage users; an editor does so only where a workspace policy allows it.",
    statement: `permit (principal in Questline::Role::"admin", action in [Questline::Action::"BalanceWrite", Questline::Action::"UserWrite"], resource);`,
  },
  {
    id: "default/policy-admin",
    description: "Admins and owners read and manage the workspace's own authorization policies.",
    statement: `permit (principal in Questline::Role::"admin", action in Questline::Action::"PolicyAdmin", resource);`,
  },
  {
    id: "default/webhook-admin",
    description:
      "Admins and owners read and manage the workspace's webhook endpoints and deliveries (they hold signing secrets); a workspace policy may allow others.",
    statement: `permit (principal in Questline::Role::"admin", action in Questline::Action::"WebhookAdmin", resource);`,
  },
  {
    id: "default/app-access",
    description: "An app token acts on its own user's data (an M2M client on the user it names).",
    statement: `permit (principal, action in Questline::Action::"App", resource) when { principal.context == "app" };`,
  },
  {
    id: "guardrail/viewers-never-write",
    description: "A viewer never writes, whatever a workspace policy permits (the edge refuses it too).",
    statement: `forbid (principal, action in Questline::Action::"DashboardWrite", resource) unless { principal in Questline::Role::"editor" };`,
  },
  {
    id: "guardrail/policy-admin",
    description: "Only admins and owners manage policies: a workspace policy cannot hand that right to others.",
    statement: `forbid (principal, action in Questline::Action::"PolicyAdmin", resource) unless { principal in Questline::Role::"admin" };`,
  },
  {
    id: "guardrail/dashboard-context",
    description: "Dashboard actions need a dashboard token.",
    statement: `forbid (principal, action in Questline::Action::"Dashboard", resource) unless { principal.context == "dashboard" };`,
  },
  {
    id: "guardrail/app-context",
    description: "App actions need an app token.",
    statement: `forbid (principal, action in Questline::Action::"App", resource) unless { principal.context == "app" };`,
  },
  {
    id: "guardrail/own-data",
    description: "An app token reaches only its own user's data.",
    statement: `forbid (principal, action in Questline::Action::"App", resource) when { resource has owner && !(principal has user && principal.user == resource.owner) };`,
  },
];
