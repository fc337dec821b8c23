// Dependency rules, checked by `npm run deps` (part of `npm run check`).
// Paths are relative to the repository root; a rule names what may NOT be imported.

const FEATURES =
  "(activities|missions|rewards|wallet|badges|tags|users|leaderboards|streaks|content|media|tenancy|auth|authorization|event-bus|webhooks|sync|sync-tools)";
const PACKAGES = "(aws-core|local|drizzle|infra-pulumi|packages/[^/]+|workers/[^/]+)";
const TESTS = "(\\.test\\.ts$|(^|/)(test|support)/)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      // Foundations are what every feature builds on; if they imported a feature the core
      // would be one knot again (issue #12). A feature reaches a foundation through an
      // interface the foundation owns (e.g. EventConsumer), and the app wires them up.
      name: "foundations-know-no-feature",
      severity: "error",
      from: {
        path: "^aws-core/src/((db|records|rules|pipeline|http|events)/|logging\\.ts$)",
        pathNot: TESTS,
      },
      to: { path: `^aws-core/src/${FEATURES}/` },
    },
    {
      // The app (route table, consumer list) is the one place that names every feature.
      // Only the composition — the handlers and the package's entry files — may depend on it;
      // a feature importing it would depend on all the others.
      name: "only-composition-names-the-app",
      severity: "error",
      from: { path: "^aws-core/", pathNot: ["^aws-core/src/(app|handlers)/", "^aws-core/src/[^/]+\\.ts$", TESTS] },
      to: { path: "^aws-core/src/app/" },
    },
    {
      // A cycle makes modules impossible to understand, test or load one at a time.
      name: "no-cycles",
      severity: "error",
      from: { path: "^(aws-core|workers)/" },
      to: { circular: true },
    },
    {
      // A package's `exports` are its public surface; a relative path into another package
      // (e.g. `../../drizzle/schema`) bypasses it and breaks when that package moves files.
      name: "no-reaching-into-other-packages",
      severity: "error",
      from: { path: `^${PACKAGES}/` },
      to: { path: `^${PACKAGES}/`, pathNot: "^$1/", dependencyTypesNot: ["aliased-workspace"] },
    },
    {
      // The root's scripts, benches and end-to-end tests are clients like any other: they use
      // the packages' exports, so the packages can change their insides freely.
      name: "root-package-uses-package-exports",
      severity: "error",
      from: { path: "^(scripts|bench|e2e)/" },
      to: { path: `^${PACKAGES}/`, dependencyTypesNot: ["aliased-workspace"] },
    },
    {
      // Shipped code must not pull the local stand-ins (gateway, stream processor, launchers)
      // or test code (the contract checker, with its 2.6 MB of reference documents, included)
      // into a Lambda or Worker bundle. Test files themselves may import them.
      name: "production-never-imports-local-or-tests",
      severity: "error",
      from: { path: "^(aws-core/src|workers/[^/]+/src|packages/(?!contract-testing/)[^/]+/src)/", pathNot: TESTS },
      to: {
        path: [
          "^local/",
          "(^|/)node_modules/@questline/local/",
          "^packages/contract-testing/",
          "(^|/)node_modules/@questline/contract-testing/",
          TESTS,
          "(^|/)node_modules/(vitest|@cloudflare/vitest-pool-workers)/",
        ],
      },
    },
    {
      // packages/edge is shared by the three workers; knowing one of them would couple them all.
      name: "edge-shared-code-knows-no-worker",
      severity: "error",
      from: { path: "^packages/edge/" },
      to: { path: ["^workers/", "(^|/)node_modules/@questline/worker-"] },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "(^|/)node_modules/" },
    tsConfig: { fileName: "tsconfig.base.json" },
    // Type-only imports count too: a type import still couples the modules.
    tsPreCompilationDeps: true,
    // Workspace packages resolve through node_modules/@questline/* (their `exports`), not as files.
    preserveSymlinks: true,
    // Resolve workspace packages through their package.json `exports`, as the bundlers do.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default", "node"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
