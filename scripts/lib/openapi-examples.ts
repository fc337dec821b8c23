/**
 * Examples for the document: every JSON request body and every JSON success response gets an
 * `example` when its operation gives none, built from the schema — the fields' own examples
 * first (`.openapi({ example })` in the code), then defaults, enums, formats and bounds. Each
 * generated example must validate against its schema (the contract checker's validator,
 * `scripts/openapi-examples.test.ts`); one that would not is left out and listed, so a field
 * that needs a hand-written example is named instead of documented wrongly.
 */
import { ContractDocument, encodePointer } from "@questline/contract-testing";
import type { OpenApiDocument } from "./openapi-merge";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const ID_SAMPLES = [
  "FUMzPf00hz_kcj2R2Hlzq",
  "Ws1234567a",
  "Ws1234567a/public/FUMzPf00hz_kcj2R2Hlzq/cover.png",
  "image/png",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "cover.png",
  "en",
  "sample",
  "a",
  "1",
];

function resolve(document: OpenApiDocument, schema: unknown): Json | undefined {
  let current = schema as Json | undefined;
  for (let depth = 0; current && typeof current.$ref === "string" && depth < 20; depth++) {
    const path = (current.$ref as string).replace(/^#\//, "").split("/");
    current = path.reduce<unknown>(
      (node, key) => (node as Json | undefined)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")],
      document,
    ) as Json | undefined;
  }
  return current;
}

/** A value for `schema`, or undefined when none can be built. */
export function sampleOf(document: OpenApiDocument, raw: unknown, depth = 0, name = ""): unknown {
  const schema = resolve(document, raw);
  if (!schema || depth > 12) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  for (const key of ["oneOf", "anyOf"] as const) {
    const variants = schema[key] as unknown[] | undefined;
    if (Array.isArray(variants)) {
      const nonNull = variants.filter((v) => resolve(document, v)?.type !== "null");
      for (const variant of [...nonNull, ...variants]) {
        const value = sampleOf(document, variant, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
  }
  if (Array.isArray(schema.allOf)) {
    // One object schema from the parts: every part's properties (a part's enum or example
    // wins over a bare redefinition) and every part's required names.
    const parts = schema.allOf.map((part) => resolve(document, part) ?? {});
    const objects = parts.every((p) => p.type === "object" || p.properties || p.required);
    if (!objects) return parts.map((p) => sampleOf(document, p, depth + 1)).find((v) => v !== undefined);
    const properties: Json = {};
    for (const part of parts) {
      for (const [name, property] of Object.entries((part.properties ?? {}) as Json)) {
        const current = resolve(document, properties[name]);
        const next = resolve(document, property);
        const richer = (p: Json | undefined) => (p?.enum || p?.example !== undefined || p?.const !== undefined ? 1 : 0);
        if (!current || richer(next) >= richer(current)) properties[name] = property;
      }
    }
    const required = [...new Set(parts.flatMap((p) => (p.required as string[] | undefined) ?? []))];
    return sampleOf(document, { type: "object", properties, required }, depth + 1);
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const type = types.find((t) => t !== "null") ?? types[0] ?? (schema.properties ? "object" : undefined);
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const out: Json = {};
      for (const [name, property] of Object.entries(properties)) {
        const resolved = resolve(document, property);
        // Optional fields appear when the code gives them an example; required ones always.
        if (!required.has(name) && resolved?.example === undefined) continue;
        const value = sampleOf(document, property, depth + 1, name);
        if (value !== undefined) out[name] = value;
        else if (required.has(name)) return undefined;
      }
      return out;
    }
    case "array": {
      const item = sampleOf(document, schema.items, depth + 1, name.replace(/s$/, ""));
      const min = Number(schema.minItems ?? 0);
      if (item === undefined) return min > 0 ? undefined : [];
      return Array.from({ length: Math.max(1, min) }, () => item);
    }
    case "string":
      return stringSample(schema, name);
    case "integer":
    case "number": {
      if (typeof schema.minimum === "number") return schema.minimum;
      if (typeof schema.exclusiveMinimum === "number") return schema.exclusiveMinimum + 1;
      if (typeof schema.maximum === "number" && schema.maximum < 0) return schema.maximum;
      return type === "integer" ? 1 : 1.5;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return undefined;
  }
}

/** What a string field usually holds, by its name (timestamps, languages, zones, URLs, texts). */
function byName(name: string): string[] {
  if (/At$/.test(name)) return ["2026-12-08T10:00:00.000Z"];
  if (/^(lang|defaultLang|langs?)$/.test(name)) return ["en"];
  if (/timezone/i.test(name)) return ["Europe/Rome"];
  if (/(url|Url|image|Image)$/.test(name))
    return ["https://media.questline.example/files/Ws1234567a/public/FUMzPf00hz_kcj2R2Hlzq/cover.png"];
  if (/^(name|title|label|nickname|description)$/.test(name)) return ["Morning run"];
  return [];
}

function stringSample(schema: Json, name: string): string | undefined {
  const format = schema.format as string | undefined;
  const byFormat: Record<string, string> = {
    "date-time": "2026-12-08T10:00:00.000Z",
    date: "2026-12-08",
    time: "10:00:00",
    uri: "https://example.com/resource",
    url: "https://example.com/resource",
    email: "ada@example.com",
    uuid: "3f2b8a8e-4c1d-4e7a-9b3c-2a1d5e6f7a8b",
    ipv4: "203.0.113.7",
  };
  const candidates = [...(format && byFormat[format] ? [byFormat[format]] : []), ...byName(name), ...ID_SAMPLES];
  const pattern = typeof schema.pattern === "string" ? safeRegExp(schema.pattern) : undefined;
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? Number.POSITIVE_INFINITY);
  for (const candidate of candidates) {
    const padded = candidate.length < min ? candidate.padEnd(min, "x") : candidate;
    if (padded.length > max) continue;
    if (pattern && !pattern.test(padded)) continue;
    return padded;
  }
  return undefined;
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source, "u");
  } catch {
    return undefined;
  }
}

export interface ExampleReport {
  added: number;
  /** `METHOD path (request|<status>)` whose generated example did not validate, or could not be built. */
  missing: string[];
}

/** Adds the examples in place (a JSON body or answer that already has one keeps it). */
export function addExamples(document: OpenApiDocument): ExampleReport {
  const contract = new ContractDocument({ name: "docs/openapi.json", document });
  const report: ExampleReport = { added: 0, missing: [] };
  const visit = (content: Json | undefined, pointer: string, label: string) => {
    const json = content?.["application/json"] as Json | undefined;
    if (!json || json.example !== undefined || json.examples !== undefined) return;
    const example = sampleOf(document, json.schema);
    const problems =
      example === undefined
        ? ["no example can be built"]
        : contract.validateAt(`${pointer}/content/application~1json/schema`, example);
    if (problems.length) {
      report.missing.push(label);
      return;
    }
    json.example = example;
    report.added++;
  };
  const items = [
    ...Object.entries(document.paths ?? {}).map(([path, item]) => ({ path, item, root: "paths" })),
    ...Object.entries((document.webhooks ?? {}) as Record<string, Json>).map(([path, item]) => ({
      path,
      item,
      root: "webhooks",
    })),
  ];
  for (const { path, item, root } of items) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const base = `#/${root}/${encodePointer(path)}/${method}`;
      const body = operation.requestBody as Json | undefined;
      if (body && !body.$ref)
        visit(body.content as Json | undefined, `${base}/requestBody`, `${method.toUpperCase()} ${path} (request)`);
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
        if (!/^2/.test(status) || response.$ref) continue;
        visit(
          response.content as Json | undefined,
          `${base}/responses/${status}`,
          `${method.toUpperCase()} ${path} (${status})`,
        );
      }
    }
  }
  return report;
}
