/**
 * Every core operation is a Cedar action (its operation id), and belongs to one action group
 * the default policies grant by role. The groups:
 *
 * - `App` ⊃ `AppRead`, `AppWrite`: an app token's user (or M2M client) on its own data.
 * - `Dashboard` ⊃ `DashboardRead`, `DashboardWrite`, `PolicyAdmin`, `WebhookAdmin`;
 *   `DashboardWrite` ⊃ `ContentWrite`, `BalanceWrite`, `UserWrite`.
 *
 * The catalog is derived from the app's own route table, so a new route is an action the
 * moment it is mounted; nothing registers itself elsewhere.
 */

export const ACTION_GROUPS = {
  App: [],
  AppRead: ["App"],
  AppWrite: ["App"],
  Dashboard: [],
  DashboardRead: ["Dashboard"],
  DashboardWrite: ["Dashboard"],
  ContentWrite: ["DashboardWrite"],
  BalanceWrite: ["DashboardWrite"],
  UserWrite: ["DashboardWrite"],
  PolicyAdmin: ["Dashboard"],
  WebhookAdmin: ["Dashboard"],
} as const satisfies Record<string, readonly string[]>;

export type ActionGroup = keyof typeof ACTION_GROUPS;

/** The groups an operation belongs to directly (its leaf group). */
export type LeafGroup = Exclude<ActionGroup, "App" | "Dashboard" | "DashboardWrite">;

export interface ActionDefinition {
  /** The Cedar action id: the operation id, or `METHOD /path/:param` for an undocumented route. */
  id: string;
  method: string;
  /** Hono's path template, e.g. `/dashboard/users/:userId`. */
  path: string;
  group: LeafGroup;
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Which group a route belongs to, from its context, method and resource. */
export function groupOf(method: string, path: string): LeafGroup {
  const read = READ_METHODS.has(method) || path.endsWith("/search");
  if (path.startsWith("/app/")) return read ? "AppRead" : "AppWrite";
  if (path.startsWith("/dashboard/authorization")) return "PolicyAdmin";
  if (path.startsWith("/dashboard/webhooks")) return "WebhookAdmin";
  if (read) return "DashboardRead";
  if (path.startsWith("/dashboard/virtual-transactions") || path.startsWith("/dashboard/virtual-balances")) {
    return "BalanceWrite";
  }
  if (path.startsWith("/dashboard/users")) return "UserWrite";
  return "ContentWrite";
}

/** The resource kind a path is about: its first segment after `/app` or `/dashboard`. */
export function resourceKindOf(path: string): string {
  return path.split("/")[2] ?? "";
}

export interface RouteEntry {
  method: string;
  path: string;
}

export interface DocumentedEntry extends RouteEntry {
  operationId?: string;
}

/** `/a/{id}` → `/a/:id` (the registry's OpenAPI form to Hono's). */
function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ":$1");
}

/**
 * The action catalog of an app: one action per (method, path) of its route table, named by
 * the documented operation id where there is one.
 */
export class ActionCatalog {
  readonly actions: readonly ActionDefinition[];
  private readonly byRoute = new Map<string, ActionDefinition>();

  constructor(routes: readonly RouteEntry[], documented: readonly DocumentedEntry[]) {
    const ids = new Map<string, string>();
    for (const d of documented) {
      if (d.operationId) ids.set(`${d.method.toUpperCase()} ${honoPath(d.path)}`, d.operationId);
    }
    const actions: ActionDefinition[] = [];
    for (const route of routes) {
      if (route.method === "ALL" || !(route.path.startsWith("/app/") || route.path.startsWith("/dashboard/"))) continue;
      const key = `${route.method} ${route.path}`;
      if (this.byRoute.has(key)) continue;
      const action = {
        id: ids.get(key) ?? key,
        method: route.method,
        path: route.path,
        group: groupOf(route.method, route.path),
      };
      this.byRoute.set(key, action);
      actions.push(action);
    }
    this.actions = actions.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The action of a matched route (HEAD runs the GET route). */
  actionFor(method: string, path: string): ActionDefinition | undefined {
    return this.byRoute.get(`${method === "HEAD" ? "GET" : method} ${path}`);
  }
}
