import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { buildWorkerBundle } from "./worker-bundle.js";

export type WorkerBinding = cloudflare.types.input.WorkersScriptBinding;

export interface EdgeWorkerArgs {
  accountId: string;
  zoneId: string;
  scriptName: string;
  /** Wrangler config used to bundle the code (entry, aliases, build settings). */
  wranglerConfig: string;
  repoRoot: string;
  skipBundling: boolean;
  /** Public hostname (custom domain) the worker answers on. */
  hostname: string;
  compatibilityDate: string;
  bindings: pulumi.Input<WorkerBinding>[];
}

/**
 * One Cloudflare worker deployed by Pulumi: code bundled by `wrangler deploy --dry-run`,
 * bindings (D1, R2, rate limits, vars) and secrets declared here, and its custom domain.
 */
export class EdgeWorker extends pulumi.ComponentResource {
  readonly script: cloudflare.WorkersScript;
  readonly url: string;

  constructor(name: string, args: EdgeWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:cloudflare:EdgeWorker", name, {}, opts);
    const code = loadWorkerCode(args);
    this.script = new cloudflare.WorkersScript(
      args.scriptName,
      {
        accountId: args.accountId,
        scriptName: args.scriptName,
        content: code.content,
        mainModule: code.mainModule,
        compatibilityDate: args.compatibilityDate,
        compatibilityFlags: ["nodejs_compat"],
        bindings: args.bindings,
        observability: { enabled: true, headSamplingRate: 1 },
      },
      { parent: this },
    );

    new cloudflare.WorkersCustomDomain(
      `${args.scriptName}-domain`,
      {
        accountId: args.accountId,
        zoneId: args.zoneId,
        hostname: args.hostname,
        service: this.script.scriptName,
      },
      { parent: this },
    );
    this.url = `https://${args.hostname}`;
    this.registerOutputs({ scriptName: this.script.scriptName, url: this.url });
  }
}

function loadWorkerCode(args: EdgeWorkerArgs): { content: string; mainModule: string } {
  if (args.skipBundling) {
    return {
      content: `export default { fetch: () => new Response("bundling skipped for ${args.scriptName}") };\n`,
      mainModule: "index.js",
    };
  }
  const outDir = path.join(args.repoRoot, "infra-pulumi", ".build", "workers", args.scriptName);
  const bundle = buildWorkerBundle(args.repoRoot, args.wranglerConfig, outDir);
  return { content: readFileSync(path.join(outDir, bundle.mainModule), "utf8"), mainModule: bundle.mainModule };
}
