/**
 * Request validation for this worker uses `zod/mini`, imported as `import * as z from "zod/mini"`:
 * the functional API tree-shakes, whereas `import { z } from "zod"` (or re-exporting a `z`
 * namespace) pulls all of zod classic and its ~40 locales (~750 KiB) into the bundle.
 * English messages, as the rest of the platform.
 */
import { validationError } from "@questline/contracts/errors";
import type { ZodError } from "zod";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

/** The platform's validation error from a mini schema's failure (it only reads `issues`). */
export function invalidRequest(error: z.core.$ZodError, message?: string) {
  return validationError(error as ZodError, message);
}
