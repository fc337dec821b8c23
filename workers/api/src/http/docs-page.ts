/**
 * The API reference page at /docs: static HTML rendered from the merged OpenAPI document
 * (docs/openapi.json, the one /openapi.json serves), with its stylesheet at /docs.css. No script
 * and nothing from another origin, so it works offline and under the strict Content-Security-Policy
 * that `securityHeaders()` (@questline/edge) puts on every HTML answer.
 *
 * Operations are grouped by their first tag, in the document's tag order; each shows its route,
 * host (when it has its own `servers`), authorization, parameters, request body and responses
 * with their schemas, and the examples the document gives. Schemas under `components.schemas`
 * and the shared error body are shown once and linked from where they are used.
 */

type Json = Record<string, unknown>;
type Schema = Json & { $ref?: string };
interface Parameter extends Json {
  name: string;
  in: string;
  required?: boolean;
  deprecated?: boolean;
  schema?: Schema;
  description?: string;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Example {
  summary?: string;
  description?: string;
  value?: unknown;
}
interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Response {
  description?: string;
  headers?: Record<string, { description?: string; schema?: Schema }>;
  content?: Record<string, MediaType>;
}
interface Server {
  url: string;
  description?: string;
}
interface Operation extends Json {
  operationId?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  tags?: string[];
  parameters?: (Parameter | Schema)[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, MediaType> } | Schema;
  responses?: Record<string, Response | Schema>;
  security?: Record<string, string[]>[];
  servers?: Server[];
}
interface SecurityScheme extends Json {
  type?: string;
  scheme?: string;
  bearerFormat?: string;
  in?: string;
  name?: string;
  description?: string;
}
interface Document {
  info?: { title?: string; version?: string; description?: string };
  servers?: Server[];
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, Operation | Parameter[]>>;
  security?: Record<string, string[]>[];
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, SecurityScheme> } & Json;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
/** How deep nested properties are listed (deeper ones show their type only). */
const MAX_DEPTH = 6;
const SCHEMA_REF = "#/components/schemas/";

const esc = (value: unknown): string => String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Inline code spans (`x`) of the document's descriptions; everything else is escaped text. */
const prose = (text: unknown): string =>
  typeof text === "string" && text ? esc(text).replace(/`([^`]+)`/g, (_, code: string) => `<code>${code}</code>`) : "";

const anchor = (value: string): string => value.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

const json = (value: unknown): string => esc(JSON.stringify(value, null, 2));

const opAnchor = (method: string, path: string, op: Operation): string =>
  `op-${anchor(op.operationId ?? `${method}-${path}`)}`;

/** The shared error body `{ error: { code, message, requestId, details? } }`, shown once. */
function isErrorBody(schema: Schema): boolean {
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props || Object.keys(props).length !== 1 || !props.error) return false;
  const inner = props.error.properties as Record<string, Schema> | undefined;
  return Boolean(inner?.code && inner.message && inner.requestId);
}

class Renderer {
  private errorSchema: Schema | undefined;

  constructor(private readonly doc: Document) {}

  /** Follows a local `$ref` (`#/components/...`); anything else is returned as it is. */
  private deref<T>(value: T | Schema): T {
    let current = value as Schema;
    for (let hops = 0; hops < 10 && typeof current?.$ref === "string" && current.$ref.startsWith("#/"); hops++) {
      let target: unknown = this.doc;
      for (const part of current.$ref.slice(2).split("/")) {
        target = (target as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      }
      if (target === undefined) break;
      current = target as Schema;
    }
    return current as T;
  }

  private schemaName(schema: Schema): string | undefined {
    return schema.$ref?.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : undefined;
  }

  /** A one-line type: `string (date-time)`, `array of Media`, `"DRAFT" | "PUBLISHED"`. */
  private typeOf(input: Schema, depth = 0): string {
    const name = this.schemaName(input);
    if (name) return `<a href="#schema-${anchor(name)}">${esc(name)}</a>`;
    const schema = this.deref<Schema>(input);
    if (depth > MAX_DEPTH) return "…";
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
    if (schema.const !== undefined) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
    for (const key of ["anyOf", "oneOf", "allOf"] as const) {
      const list = schema[key] as Schema[] | undefined;
      if (list?.length) return list.map((s) => this.typeOf(s, depth + 1)).join(key === "allOf" ? " &amp; " : " | ");
    }
    const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type as string | undefined);
    if (schema.items && (type === "array" || type?.startsWith("array")))
      return `array of ${this.typeOf(schema.items as Schema, depth + 1)}${type.includes("null") ? " | null" : ""}`;
    const format = schema.format ? ` (${esc(schema.format)})` : "";
    if (!type && schema.properties) return "object";
    if (type === "object" && !schema.properties && schema.additionalProperties) {
      const values = schema.additionalProperties;
      return typeof values === "object" && Object.keys(values).length
        ? `map of ${this.typeOf(values as Schema, depth + 1)}`
        : "object (any keys)";
    }
    return `${esc(type ?? "any")}${format}`;
  }

  /** The constraints a client has to meet: bounds, lengths, pattern, default. */
  private constraints(input: Schema): string {
    const schema = this.deref<Schema>(input);
    const out: string[] = [];
    const pair = (min: string, max: string, label: string) => {
      const lo = schema[min] as number | undefined;
      const hi = schema[max] as number | undefined;
      if (lo !== undefined && hi !== undefined) out.push(`${label} ${lo}–${hi}`);
      else if (lo !== undefined) out.push(`${label} ≥ ${lo}`);
      else if (hi !== undefined) out.push(`${label} ≤ ${hi}`);
    };
    pair("minimum", "maximum", "value");
    pair("minLength", "maxLength", "length");
    pair("minItems", "maxItems", "items");
    if (schema.exclusiveMinimum !== undefined) out.push(`value &gt; ${esc(schema.exclusiveMinimum)}`);
    if (schema.exclusiveMaximum !== undefined) out.push(`value &lt; ${esc(schema.exclusiveMaximum)}`);
    if (typeof schema.pattern === "string") out.push(`pattern <code>${esc(schema.pattern)}</code>`);
    if (schema.default !== undefined) out.push(`default <code>${esc(JSON.stringify(schema.default))}</code>`);
    if (schema.readOnly) out.push("read-only");
    if (schema.deprecated) out.push("deprecated");
    return out.length ? ` <span class="constraints">(${out.join("; ")})</span>` : "";
  }

  /** The properties of an object schema as a nested list (`seen`: named schemas on this branch). */
  private properties(input: Schema, depth: number, seen: ReadonlySet<string>): string {
    const name = this.schemaName(input);
    // A named schema is listed in its own section (linked from its type), not inline again.
    if (name && depth > 0) return "";
    if (name && seen.has(name)) return "";
    const schema = this.deref<Schema>(input);
    if (depth > MAX_DEPTH) return "";
    const mine = name ? new Set(seen).add(name) : seen;
    const parts: Schema[] = [
      ...((schema.allOf as Schema[] | undefined) ?? []),
      ...((schema.anyOf as Schema[] | undefined) ?? []),
      ...((schema.oneOf as Schema[] | undefined) ?? []),
    ];
    if (parts.length) return parts.map((s) => this.properties(s, depth, mine)).join("");
    if (schema.items) return this.properties(schema.items as Schema, depth, mine);
    const props = schema.properties as Record<string, Schema> | undefined;
    if (!props) return "";
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const rows = Object.entries(props).map(([prop, value]) => {
      const nested = this.properties(value, depth + 1, mine);
      const described = value.description ?? this.deref<Schema>(value).description;
      return `<li><code class="prop">${esc(prop)}</code> <span class="type">${this.typeOf(value)}</span>${
        required.has(prop) ? ' <span class="required">required</span>' : ""
      }${this.constraints(value)}${described ? ` — ${prose(described)}` : ""}${nested}</li>`;
    });
    return `<ul class="props">${rows.join("")}</ul>`;
  }

  private examples(holder: { example?: unknown; examples?: Record<string, Example> | unknown[] }): string {
    const out: string[] = [];
    if (holder.example !== undefined) out.push(`<pre><code>${json(holder.example)}</code></pre>`);
    if (Array.isArray(holder.examples)) {
      for (const value of holder.examples) out.push(`<pre><code>${json(value)}</code></pre>`);
    } else {
      for (const [key, raw] of Object.entries(holder.examples ?? {})) {
        const example = this.deref<Example>(raw);
        const label = prose(example.summary ?? key);
        if (example.value !== undefined)
          out.push(`<p class="example-label">${label}</p><pre><code>${json(example.value)}</code></pre>`);
      }
    }
    return out.length ? `<div class="example"><p class="example-title">Example</p>${out.join("")}</div>` : "";
  }

  /** A media type's schema (type, properties) and examples (the media type's, else the schema's). */
  private mediaBlock(media: MediaType): string {
    const schema = media.schema;
    if (!schema) return this.examples(media);
    if (isErrorBody(this.deref<Schema>(schema))) {
      this.errorSchema ??= this.deref<Schema>(schema);
      return "";
    }
    const props = this.properties(schema, 0, new Set());
    const own = this.examples(media);
    const resolved = this.deref<Schema>(schema);
    const fromSchema = own ? "" : this.examples(resolved as { example?: unknown; examples?: unknown[] });
    return `${props}${own}${fromSchema}`;
  }

  private security(op: Operation): string {
    const requirements = op.security ?? this.doc.security ?? [];
    if (!requirements.length) return `<p class="auth"><strong>Authorization:</strong> none (public)</p>`;
    const options = requirements.map((requirement) => {
      const names = Object.entries(requirement);
      if (!names.length) return "none (public)";
      return names
        .map(
          ([name, scopes]) =>
            `<a href="#scheme-${anchor(name)}">${esc(name)}</a>${
              scopes.length ? ` (scopes: ${scopes.map((s) => `<code>${esc(s)}</code>`).join(", ")})` : ""
            }`,
        )
        .join(" + ");
    });
    return `<p class="auth"><strong>Authorization:</strong> ${options.join(", or ")}</p>`;
  }

  private parameters(pathParams: Parameter[], op: Operation): string {
    const own = (op.parameters ?? []).map((p) => this.deref<Parameter>(p));
    const merged = new Map<string, Parameter>();
    for (const p of [...pathParams, ...own]) merged.set(`${p.in}:${p.name}`, p);
    if (!merged.size) return "";
    const rows = [...merged.values()].map((p) => {
      const example = p.example ?? p.schema?.example;
      return `<tr><td><code>${esc(p.name)}</code>${p.deprecated ? " (deprecated)" : ""}</td><td>${esc(p.in)}</td><td>${
        p.schema ? `<span class="type">${this.typeOf(p.schema)}</span>${this.constraints(p.schema)}` : ""
      }</td><td>${p.required ? "yes" : "no"}</td><td>${prose(p.description ?? p.schema?.description)}${
        example !== undefined ? `<br>Example: <code>${esc(JSON.stringify(example))}</code>` : ""
      }</td></tr>`;
    });
    return `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  }

  private requestBody(op: Operation): string {
    if (!op.requestBody) return "";
    const body = this.deref<{ required?: boolean; description?: string; content?: Record<string, MediaType> }>(
      op.requestBody,
    );
    const blocks = Object.entries(body.content ?? {}).map(([type, media]) => {
      const schema = media.schema ? ` <span class="type">${this.typeOf(media.schema)}</span>` : "";
      return `<p><code>${esc(type)}</code>${schema}</p>${this.mediaBlock(media)}`;
    });
    return `<h4>Request body${body.required ? ' <span class="required">required</span>' : ""}</h4>${
      body.description ? `<p>${prose(body.description)}</p>` : ""
    }${blocks.join("")}`;
  }

  private responses(op: Operation): string {
    const items = Object.entries(op.responses ?? {}).map(([status, raw]) => {
      const response = this.deref<Response>(raw);
      const contents = Object.entries(response.content ?? {});
      const types = contents
        .map(([type, media]) => `<code>${esc(type)}</code>${media.schema ? ` ${this.typeOf(media.schema)}` : ""}`)
        .join(", ");
      const error = contents.some(([, media]) => media.schema && isErrorBody(this.deref<Schema>(media.schema)));
      const detail = contents.map(([, media]) => this.mediaBlock(media)).join("");
      const headers = Object.entries(response.headers ?? {})
        .map(([name, h]) => `<li><code>${esc(name)}</code>${h.description ? ` — ${prose(h.description)}` : ""}</li>`)
        .join("");
      const summary = `<span class="status s${esc(status.charAt(0))}">${esc(status)}</span> ${prose(
        response.description,
      )}${types && !error ? ` <span class="type">${types}</span>` : ""}${
        error ? ' <span class="type">(<a href="#errors">error body</a>)</span>' : ""
      }`;
      const more = `${headers ? `<p>Headers:</p><ul>${headers}</ul>` : ""}${detail}`;
      // A summary is itself the control: no link inside it (axe nested-interactive).
      const plain = summary.replace(/<\/?a\b[^>]*>/g, "");
      return more ? `<li><details><summary>${plain}</summary>${more}</details></li>` : `<li>${summary}</li>`;
    });
    return `<h4>Responses</h4><ul class="responses">${items.join("")}</ul>`;
  }

  private servers(servers: Server[] | undefined): string {
    return (servers ?? [])
      .map((s) => `<code>${esc(s.url)}</code>${s.description ? ` (${prose(s.description)})` : ""}`)
      .join(", ");
  }

  private operation(method: string, path: string, op: Operation, pathParams: Parameter[]): string {
    const id = opAnchor(method, path, op);
    const title = op.summary ?? `${method.toUpperCase()} ${path}`;
    const host = op.servers?.length ? `<p class="server">Host: ${this.servers(op.servers)}</p>` : "";
    return `<article class="operation" id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">${prose(title)}${op.deprecated ? ' <span class="required">deprecated</span>' : ""}</h3>
<p class="route"><span class="method m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></p>
${host}${op.description ? `<p>${prose(op.description)}</p>` : ""}${this.security(op)}${
  op.operationId ? `<p class="opid">Operation id: <code>${esc(op.operationId)}</code></p>` : ""
}${this.parameters(pathParams, op)}${this.requestBody(op)}${this.responses(op)}
</article>`;
  }

  private schemasSection(): string {
    const schemas = Object.entries(this.doc.components?.schemas ?? {});
    if (!schemas.length) return "";
    const items = schemas.map(
      ([name, schema]) =>
        `<article class="schema" id="schema-${anchor(name)}" aria-labelledby="schema-${anchor(name)}-title"><h3 id="schema-${anchor(
          name,
        )}-title">${esc(name)}</h3>${schema.description ? `<p>${prose(schema.description)}</p>` : ""}<p>Type: <span class="type">${this.typeOf(
          { ...schema, $ref: undefined },
        )}</span></p>${this.properties(schema, 0, new Set([name]))}${this.examples(
          schema as { example?: unknown; examples?: unknown[] },
        )}</article>`,
    );
    return `<section id="schemas" aria-labelledby="schemas-title"><h2 id="schemas-title">Schemas</h2>${items.join("\n")}</section>`;
  }

  private errorsSection(): string {
    const schema = this.errorSchema;
    return `<section id="errors" aria-labelledby="errors-title"><h2 id="errors-title">Errors</h2>
<p>Every error answer has the same body; <code>code</code> is stable (clients switch on it), <code>message</code> is for people, <code>requestId</code> matches the <code>x-request-id</code> header and the server's logs.</p>
${schema ? this.properties(schema, 0, new Set()) : ""}</section>`;
  }

  render(): string {
    const doc = this.doc;
    const byTag = new Map<string, { method: string; path: string; op: Operation; pathParams: Parameter[] }[]>();
    for (const tag of doc.tags ?? []) byTag.set(tag.name, []);
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const pathParams = ((item.parameters as Parameter[] | undefined) ?? []).map((p) => this.deref<Parameter>(p));
      for (const method of METHODS) {
        const op = item[method] as Operation | undefined;
        if (!op) continue;
        const tag = op.tags?.[0] ?? "Other";
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag)?.push({ method, path, op, pathParams });
      }
    }
    const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
    const groups = [...byTag].filter(([, ops]) => ops.length);
    const operationCount = groups.reduce((n, [, ops]) => n + ops.length, 0);
    // Operations first: rendering them collects the shared error body for its section.
    const sections = groups
      .map(
        ([tag, ops]) =>
          `<section id="tag-${anchor(tag)}" aria-labelledby="tag-${anchor(tag)}-title"><h2 id="tag-${anchor(tag)}-title">${esc(tag)}</h2>${
            described.get(tag) ? `<p>${prose(described.get(tag))}</p>` : ""
          }${ops.map(({ method, path, op, pathParams }) => this.operation(method, path, op, pathParams)).join("\n")}</section>`,
      )
      .join("\n");
    const schemas = this.schemasSection();
    const nav = groups
      .map(
        ([tag, ops]) =>
          `<li><a href="#tag-${anchor(tag)}">${esc(tag)}</a><ul>${ops
            .map(
              ({ method, path, op }) =>
                `<li><a href="#${opAnchor(method, path, op)}"><span class="nav-method">${method.toUpperCase()}</span> <span class="nav-path">${esc(
                  path,
                )}</span></a></li>`,
            )
            .join("")}</ul></li>`,
      )
      .join("");
    const servers = (doc.servers ?? [])
      .map((s) => `<li><code>${esc(s.url)}</code>${s.description ? ` — ${prose(s.description)}` : ""}</li>`)
      .join("");
    const schemes = Object.entries(doc.components?.securitySchemes ?? {})
      .map(([name, s]) => {
        const kind =
          s.type === "http"
            ? `HTTP ${esc(s.scheme ?? "")}${s.bearerFormat ? ` (${esc(s.bearerFormat)})` : ""}`
            : s.type === "apiKey"
              ? `API key in ${esc(s.in ?? "")} <code>${esc(s.name ?? "")}</code>`
              : esc(s.type ?? "");
        return `<li id="scheme-${anchor(name)}"><code>${esc(name)}</code> — ${kind}${
          s.description ? `: ${prose(s.description)}` : ""
        }</li>`;
      })
      .join("");
    const title = esc(doc.info?.title ?? "API");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} reference</title><link rel="stylesheet" href="/docs.css"><link rel="icon" type="image/svg+xml" href="/docs.svg"></head>
<body><header><a class="skip" href="#main">Skip to the operations</a>
<h1>${title} <span class="version">${esc(doc.info?.version ?? "")}</span></h1>
<p>${prose(doc.info?.description)}</p>
<p>${operationCount} operations. The OpenAPI ${esc((doc as Json).openapi ?? "")} document: <a href="/openapi.json">/openapi.json</a>.</p></header>
<div class="layout"><nav aria-label="Operations"><ul><li><a href="#servers">Servers and authorization</a></li>${nav}${
      schemas ? '<li><a href="#schemas">Schemas</a></li>' : ""
    }<li><a href="#errors">Errors</a></li></ul></nav>
<main id="main"><section id="servers" aria-labelledby="servers-title"><h2 id="servers-title">Servers and authorization</h2>
<h3>Servers</h3><ul>${servers}</ul><p>Operations on another host name it under <em>Host</em>.</p><h3>Authorization</h3><ul>${schemes}</ul></section>
${sections}
${schemas}
${this.errorsSection()}</main></div></body></html>`;
  }
}

/** The page for `document` (an OpenAPI 3.1 document); the api worker renders it once per isolate. */
export function renderDocsPage(document: unknown): string {
  return new Renderer(document as Document).render();
}

/** The page's icon, served at /docs.svg (a browser asks for one; without it, /favicon.ico is a 404). */
export const DOCS_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f9c"/><path d="M9 9h14v3H9zm0 6h14v3H9zm0 6h9v3H9z" fill="#fff"/></svg>`;

/** The page's stylesheet, served at /docs.css (same origin: the CSP allows `style-src 'self'` only). */
export const DOCS_CSS = `:root{color-scheme:light;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
a{color:#0b4f9c}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
header{padding:1rem 2rem;border-bottom:1px solid #ccc}
header p{max-width:70rem}
h1 .version{font-size:1rem;color:#444;font-weight:normal}
.layout{display:flex;align-items:flex-start}
nav{position:sticky;top:0;max-height:100vh;overflow:auto;width:20rem;flex:none;padding:1rem;border-right:1px solid #ccc;font-size:.875rem;box-sizing:border-box}
nav ul{list-style:none;padding-left:.75rem;margin:0}
nav>ul{padding-left:0}
nav>ul>li{margin-bottom:.5rem}
nav ul ul a{display:flex;gap:.25rem}
.nav-method{flex:none;width:3.5rem;font-family:ui-monospace,monospace;font-size:.75rem;color:#3d4a5c;padding-top:.1rem}
.nav-path{overflow-wrap:anywhere;min-width:0}
main{padding:1rem 2rem;min-width:0;flex:1;max-width:70rem}
section{margin-bottom:2rem}
.operation,.schema{border:1px solid #ccc;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
.route code{font-size:1rem;overflow-wrap:anywhere}
.method{display:inline-block;min-width:4rem;text-align:center;font-weight:bold;border-radius:4px;padding:0 .4rem;color:#fff;background:#333}
.m-get{background:#0b5c2e}.m-post{background:#0b4f9c}.m-put{background:#7a4a00}.m-delete{background:#a01818}.m-patch{background:#5b2a86}.m-head{background:#3d4a5c}.m-options{background:#3d4a5c}
.server,.opid{color:#3d4a5c;font-size:.875rem}
.status{font-weight:bold;font-family:ui-monospace,monospace}
.s2{color:#0b5c2e}.s3{color:#3d4a5c}.s4{color:#8a4b00}.s5{color:#a01818}
.type{color:#3d4a5c;font-family:ui-monospace,monospace;font-size:.875rem}
.constraints{color:#4a4a4a;font-size:.8125rem}
.required{color:#a01818;font-size:.8125rem;font-weight:bold}
.prop{font-weight:bold}
table{border-collapse:collapse;margin:.5rem 0;font-size:.875rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
code{font-family:ui-monospace,monospace}
.props{font-size:.875rem;padding-left:1.25rem}
.responses{padding-left:1.25rem}
summary{cursor:pointer}
.example{margin:.5rem 0}
.example-title,.example-label{font-weight:bold;font-size:.875rem;margin:.25rem 0}
pre{background:#f4f5f7;border:1px solid #ddd;border-radius:4px;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8125rem}
@media (max-width:48rem){.layout{display:block}nav{position:static;width:auto;max-height:none;border-right:0;border-bottom:1px solid #ccc}main,header{padding:1rem}}
`;
