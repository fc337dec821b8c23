import { describe, expect, it } from "vitest";
import { renderDocsPage } from "./docs-page";

/** A small document with what the renderer has to handle: refs, examples, the error body, hostile text. */
const errorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, requestId: { type: "string" } },
      required: ["code", "message", "requestId"],
    },
  },
  required: ["error"],
};
const doc = {
  openapi: "3.1.0",
  info: { title: "Demo <API>", version: "1.2.3", description: "Uses `x-thing`." },
  servers: [{ url: "http://localhost:8787", description: "Local" }],
  tags: [{ name: "Things", description: "All the <things>" }],
  paths: {
    "/things/{thingId}": {
      parameters: [{ $ref: "#/components/parameters/ThingId" }],
      get: {
        tags: ["Things"],
        operationId: "getThing",
        summary: "Read a thing",
        security: [{ bearerAuth: ["things/read"] }],
        parameters: [{ name: "fields", in: "query", schema: { type: "string" }, example: "a,b" }],
        responses: {
          200: {
            description: "The thing",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Thing" },
                examples: { plain: { summary: "A plain thing", value: { thingId: "t1", size: 3 } } },
              },
            },
          },
          404: { description: "No such thing", content: { "application/json": { schema: errorBody } } },
        },
      },
    },
    "/public": { head: { operationId: "headPublic", security: [{}], responses: { 204: { description: "Nothing" } } } },
  },
  components: {
    parameters: { ThingId: { name: "thingId", in: "path", required: true, schema: { type: "string", maxLength: 64 } } },
    schemas: {
      Thing: {
        type: "object",
        description: "A <b>thing</b>",
        properties: {
          thingId: { type: "string", pattern: "^[a-z0-9]+$" },
          size: { type: "integer", minimum: 0, maximum: 10 },
          parent: { $ref: "#/components/schemas/Thing" },
        },
        required: ["thingId"],
      },
    },
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A token" } },
  },
};

describe("renderDocsPage", () => {
  const html = renderDocsPage(doc);

  it("escapes the document's text (it is data, never markup)", () => {
    expect(html).toContain("Demo &#60;API&#62; reference");
    expect(html).toContain("All the &#60;things&#62;");
    expect(html).toContain("A &#60;b&#62;thing&#60;/b&#62;");
    expect(html).not.toContain("<b>thing</b>");
    expect(html).toContain("Uses <code>x-thing</code>.");
  });

  it("groups operations by tag, untagged ones under Other, and shows route, auth and scopes", () => {
    expect(html.indexOf('id="tag-Things"')).toBeLessThan(html.indexOf('id="tag-Other"'));
    expect(html).toContain('<span class="method m-get">GET</span> <code>/things/{thingId}</code>');
    expect(html).toContain('<a href="#scheme-bearerAuth">bearerAuth</a> (scopes: <code>things/read</code>)');
    expect(html).toMatch(/id="op-headPublic"[\s\S]*Authorization:<\/strong> none \(public\)/);
  });

  it("lists path-level and $ref parameters with their constraints and examples", () => {
    expect(html).toMatch(
      /<code>thingId<\/code><\/td><td>path<\/td><td><span class="type">string<\/span> <span class="constraints">\(length ≤ 64\)/,
    );
    expect(html).toContain("Example: <code>&#34;a,b&#34;</code>");
  });

  it("shows named schemas once, linked, recursion included; examples; the shared error body in its section", () => {
    expect(html).toContain('<a href="#schema-Thing">Thing</a>');
    expect(html).toContain('id="schema-Thing"');
    expect(html).toContain("value 0–10");
    expect(html).toContain("A plain thing</p><pre><code>{\n  &#34;thingId&#34;: &#34;t1&#34;");
    expect(html).toContain('(<a href="#errors">error body</a>)');
    expect(html).toMatch(/id="errors"[\s\S]*<code class="prop">requestId<\/code>/);
  });
});
