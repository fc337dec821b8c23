import { reset } from "cloudflare:test";
import { afterEach } from "vitest";
import { resetCore } from "./helpers";

// Storage is not isolated per test: every test ends with empty local storage (R2) and a core
// stand-in that has forgotten its calls and entities.
afterEach(async () => {
  await reset();
  await resetCore();
});
