import { inject } from "vitest";

// Runs in each test worker before the test files: point the SDK clients at the stores
// started by global-setup.ts.
Object.assign(process.env, inject("awsCoreEnv"));
