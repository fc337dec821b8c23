/**
 * What Cedar authorization costs a core request.
 *
 *   npx tsx bench/authorization/run.ts            # BENCH_DECISIONS=20000
 *
 * In one run: (1) the baseline — the role check the core did before Cedar (the route's group,
 * then "is the role in the allowed list"); (2) one `statefulIsAuthorized` call against the
 * default policies, memoized as the core does for a workspace without policies of its own;
 * (3) the same evaluated on every call (a workspace with one inert policy of its own); (4) a
 * workspace set of 50 extra policies; (5) the cold start: loading the WebAssembly module,
 * parsing the schema and the default set. Prints µs per decision and the ratios.
 */
import { performance } from "node:perf_hooks";
import { newWorkspaceId, type Role } from "@questline/contracts";

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 20_000);

const coldStarted = performance.now();
const { actionCatalogOf, CedarEngine, cedarSchema, createApp, groupOf, rolesIncluded } = await import(
  "@questline/aws-core/authorization"
);
const imported = performance.now();
const catalog = actionCatalogOf(createApp());
const built = performance.now();
const engine = new CedarEngine(cedarSchema(catalog.actions));
const parsed = performance.now();

const roles: Role[] = ["owner", "admin", "editor", "viewer"];
const identities = roles.map((role) => ({
  workspaceId: newWorkspaceId(),
  context: "dashboard" as const,
  role,
  userId: `u-${role}`,
  scopes: [],
}));
const dashboardActions = catalog.actions.filter((a) => a.path.startsWith("/dashboard/"));
const defaults = { setId: "default", revision: "default", policies: [] };
const custom = {
  setId: "bench",
  revision: "1",
  policies: Array.from({ length: 50 }, (_, i) => ({
    id: `workspace/p${i}`,
    description: "",
    statement:
      i % 2
        ? `permit (principal in Questline::Role::"editor", action == Questline::Action::"${dashboardActions[i % dashboardActions.length]?.id}", resource) when { resource.kind == "k${i}" };`
        : `forbid (principal, action in Questline::Action::"BalanceWrite", resource) when { principal has user && principal.user == "blocked-${i}" };`,
  })),
};

const ALLOWED: Record<string, readonly Role[]> = {
  DashboardRead: roles,
  ContentWrite: ["owner", "admin", "editor"],
  BalanceWrite: ["owner", "admin"],
  UserWrite: ["owner", "admin"],
  PolicyAdmin: ["owner", "admin"],
  WebhookAdmin: ["owner", "admin"],
};

function time(label: string, decide: (i: number) => boolean) {
  let allowed = 0;
  const started = performance.now();
  for (let i = 0; i < DECISIONS; i++) if (decide(i)) allowed++;
  const micros = ((performance.now() - started) * 1000) / DECISIONS;
  return { label, micros, allowed };
}

const request = (i: number) => {
  const action = dashboardActions[i % dashboardActions.length]!;
  const identity = identities[i % identities.length]!;
  return { identity, action, resource: { id: action.path, kind: action.path.split("/")[2] ?? "" } };
};

const inert = {
  setId: "inert",
  revision: "1",
  policies: [
    {
      id: "workspace/inert",
      description: "",
      statement: 'forbid (principal, action, resource) when { principal.workspace == "none" };',
    },
  ],
};
// Warm up every path.
for (let i = 0; i < 500; i++) {
  engine.authorize(request(i), defaults);
  engine.authorize(request(i), inert);
  engine.authorize(request(i), custom);
}
const baseline = time("role check (before Cedar)", (i) => {
  const { identity, action } = request(i);
  const group = groupOf(action.method, action.path);
  return (ALLOWED[group] ?? []).includes(identity.role) && rolesIncluded(identity.role).length > 0;
});
const cedar = time("Cedar, default policies (memoized)", (i) => engine.authorize(request(i), defaults).allowed);
const cedarEvaluated = time("Cedar, default policies (evaluated)", (i) => engine.authorize(request(i), inert).allowed);
const cedarCustom = time(
  "Cedar, defaults + 50 workspace policies",
  (i) => engine.authorize(request(i), custom).allowed,
);

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(`authorization bench: ${DECISIONS} decisions over ${dashboardActions.length} dashboard actions × 4 roles`);
for (const r of [baseline, cedar, cedarEvaluated, cedarCustom]) {
  console.log(
    `  ${r.label.padEnd(42)} ${fmt(r.micros, 2).padStart(8)} µs/decision  ×${fmt(r.micros / baseline.micros, 0)} baseline  (${r.allowed} allowed)`,
  );
}
if (cedar.allowed !== baseline.allowed)
  console.log(`  ✗ Cedar allowed ${cedar.allowed}, the role check ${baseline.allowed}`);
else console.log("  ✓ Cedar and the role check agree on every decision");
console.log(
  `  cold start: import ${fmt(imported - coldStarted, 0)} ms (incl. wasm), catalog ${fmt(built - imported, 0)} ms, schema + default set ${fmt(parsed - built, 0)} ms`,
);
console.log(
  `  per request Cedar adds ${fmt(cedar.micros, 1)} µs (no workspace policies) to ${fmt(cedarCustom.micros, 0)} µs (50 of them); a DynamoDB round trip in the same region is ~3,000–5,000 µs`,
);
