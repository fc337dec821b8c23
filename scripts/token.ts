/**
 * `npm run token -- --context app|dashboard [--role <role>] [--workspace <id>] [--user <id>] [--m2m]`
 * prints only an access token from the running local IdP (creating the workspace/user if missing).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultStateDir, STACK_FILE } from "./lib/paths";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const { values } = parseArgs({
    options: {
      context: { type: "string", default: "app" },
      role: { type: "string" },
      workspace: { type: "string" },
      user: { type: "string" },
      m2m: { type: "boolean", default: false },
    },
    strict: true,
  });
  let idpUrl: string | undefined;
  try {
    const state = JSON.parse(readFileSync(join(defaultStateDir(), STACK_FILE), "utf8")) as { urls?: { idp?: string } };
    idpUrl = state.urls?.idp;
  } catch {
    idpUrl = undefined;
  }
  const notRunning = "The local stack is not running: start it with `npm run dev` first (in another terminal).";
  if (!idpUrl) fail(notRunning);
  const body = {
    context: values.context,
    ...(values.role ? { role: values.role } : {}),
    ...(values.workspace ? { workspaceId: values.workspace } : {}),
    ...(values.user ? { userId: values.user } : {}),
    ...(values.m2m ? { clientId: "questline-local-m2m" } : {}),
  };
  let res: Response;
  try {
    res = await fetch(`${idpUrl}/local/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    fail(notRunning);
  }
  const payload = (await res.json().catch(() => ({}))) as { accessToken?: string; message?: string };
  if (!res.ok || !payload.accessToken) fail(`token request failed: ${payload.message ?? `HTTP ${res.status}`}`);
  process.stdout.write(`${payload.accessToken}\n`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
