import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export interface HandlerBundleOptions {
  repoRoot: string;
  /** Entry file relative to the repo root, e.g. aws-core/src/handlers/api.ts. */
  entry: string;
  /** Unit tests and offline previews: a stand-in module, no esbuild run. */
  skipBundling: boolean;
}

/**
 * Bundles one aws-core handler with esbuild (ESM, Node 24, arm64-agnostic JS, AWS SDK v3
 * left to the runtime) into `infra-pulumi/.build/lambda/<name>/index.mjs` and returns the
 * archive Lambda deploys. Runs at program time, so `pulumi preview` sees code changes.
 */
export function bundleHandler(name: string, options: HandlerBundleOptions): pulumi.asset.Archive {
  if (options.skipBundling) {
    return new pulumi.asset.AssetArchive({
      "index.mjs": new pulumi.asset.StringAsset(
        `// bundling skipped for ${options.entry}\nexport const handler = async () => {};\n`,
      ),
    });
  }
  const outDir = path.join(options.repoRoot, "infra-pulumi", ".build", "lambda", name);
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    path.join(options.repoRoot, "node_modules", ".bin", "esbuild"),
    [
      path.join(options.repoRoot, options.entry),
      "--bundle",
      "--platform=node",
      "--target=node24",
      "--format=esm",
      "--minify",
      "--sourcemap",
      "--external:@aws-sdk/*",
      "--main-fields=module,main",
      // ESM bundles of CommonJS dependencies need a real `require` and `__dirname` (the Cedar
      // engine reads its WebAssembly module from beside itself).
      "--banner:js=import { createRequire } from 'node:module'; import { fileURLToPath as __qlPath } from 'node:url'; const require = createRequire(import.meta.url); const __dirname = __qlPath(new URL('.', import.meta.url));",
      `--outfile=${path.join(outDir, "index.mjs")}`,
    ],
    { cwd: options.repoRoot, stdio: "inherit" },
  );
  // @cedar-policy/cedar-wasm (aws-core/src/authorization) loads this file at start.
  copyFileSync(
    path.join(options.repoRoot, "node_modules", "@cedar-policy", "cedar-wasm", "nodejs", "cedar_wasm_bg.wasm"),
    path.join(outDir, "cedar_wasm_bg.wasm"),
  );
  return new pulumi.asset.FileArchive(outDir);
}
