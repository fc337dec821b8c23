import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  authed,
  call,
  coreCalls,
  errorCode,
  listKeys,
  pdf,
  png,
  sha256Hex,
  token,
  upload,
  WS,
} from "../../test/support/helpers";

const enc = (s: string) => new TextEncoder().encode(s);

async function expectNothingStored() {
  expect(await listKeys(`${WS}/`)).toEqual([]);
  expect((await coreCalls()).filter((c) => c.method === "POST")).toEqual([]);
}

describe("direct upload: who may upload", () => {
  it("no token → 401; app token or viewer → 403", async () => {
    const bytes = png();
    const none = await call("/dashboard/media?fileName=a.png", { method: "POST", body: bytes });
    expect(none.status).toBe(401);
    for (const t of [await token({ context: "app" }), await token({ role: "viewer" })]) {
      const res = await upload(bytes, {}, { tokenValue: t });
      expect(res.status).toBe(403);
    }
    await expectNothingStored();
  });

  it("editor, admin and owner may upload (POST and PUT)", async () => {
    for (const role of ["editor", "admin", "owner"] as const) {
      const res = await upload(
        png(),
        {},
        { tokenValue: await token({ role }), method: role === "admin" ? "PUT" : "POST" },
      );
      expect(res.status, role).toBe(201);
    }
    expect(await listKeys(`${WS}/`)).toHaveLength(3);
  });
});

describe("direct upload: validation before anything is visible", () => {
  it("type comes from magic bytes: HTML named .png → 415, nothing stored", async () => {
    const res = await upload(enc("<!DOCTYPE html><html><script>alert(1)</script></html>"), { fileName: "cat.png" });
    expect(res.status).toBe(415);
    expect(await errorCode(res)).toBe("media.unsupported_type");
    await expectNothingStored();
  });

  it("a declared Content-Type is ignored: PDF bytes sent as image/png are stored as application/pdf", async () => {
    const res = await upload(pdf(), { fileName: "report.png" }, { headers: { "content-type": "image/png" } });
    expect(res.status).toBe(201);
    const media = (await res.json()) as { key: string; contentType: string; fileType: string };
    expect(media).toMatchObject({ contentType: "application/pdf", fileType: "document" });
    const head = await env.MEDIA.head(media.key);
    expect(head?.httpMetadata?.contentType).toBe("application/pdf");
  });

  it("unknown binary and plain text → 415", async () => {
    for (const bytes of [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), enc("just some text")]) {
      expect((await upload(bytes, { fileName: "x.jpg" })).status).toBe(415);
    }
    await expectNothingStored();
  });

  it("SVG with script → 415; plain SVG is stored download-only and served as an attachment", async () => {
    const evil = await upload(enc('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), {
      fileName: "logo.svg",
    });
    expect(evil.status).toBe(415);
    const onload = await upload(enc('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), {
      fileName: "logo.svg",
    });
    expect(onload.status).toBe(415);
    const ok = await upload(enc('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'), {
      fileName: "logo.svg",
      visibility: "public",
    });
    expect(ok.status).toBe(201);
    const media = (await ok.json()) as { key: string; downloadOnly: boolean; contentType: string };
    expect(media).toMatchObject({ downloadOnly: true, contentType: "image/svg+xml" });
    const served = await call(`/files/${media.key}`);
    expect(served.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    await served.arrayBuffer();
  });

  it("over the configured size → 413 before reading the body", async () => {
    const big = png(1024 * 1024 + 1);
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("request.too_large");
    await expectNothingStored();
  });

  it("a wrong client SHA-256 → 400 media.checksum_mismatch, nothing stored", async () => {
    const bytes = png(8192);
    const res = await upload(bytes, { sha256: "0".repeat(64) });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("media.checksum_mismatch");
    await expectNothingStored();
    const viaHeader = await upload(bytes, {}, { headers: { "x-checksum-sha256": "f".repeat(64) } });
    expect(viaHeader.status).toBe(400);
    await expectNothingStored();
  });

  it("the right SHA-256 is accepted and recorded", async () => {
    const bytes = png(8192);
    const digest = await sha256Hex(bytes);
    const res = await upload(bytes, { sha256: digest.toUpperCase() });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { sha256: string }).sha256).toBe(digest);
  });

  it("a malformed checksum → 400 validation", async () => {
    const res = await upload(png(), { sha256: "abc" });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("request.validation_failed");
  });

  it("file names are sanitized; keys are generated server-side inside the workspace", async () => {
    const names = [
      "../../../etc/passwd.png",
      "..\\..\\windows\\win.ini.png",
      "%2e%2e%2fx.png",
      ".hidden.png",
      "a b/c?d#.png",
      "ünïcødé.png",
      "....",
    ];
    const keys: string[] = [];
    for (const fileName of names) {
      const res = await upload(png(), { fileName });
      expect(res.status, fileName).toBe(201);
      const media = (await res.json()) as { key: string; fileName: string; originalFileName: string };
      expect(media.key.startsWith(`${WS}/private/`)).toBe(true);
      expect(media.key.split("/")).toHaveLength(4);
      expect(media.fileName).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(media.fileName).not.toContain("..");
      expect(media.originalFileName).toBe(fileName);
      keys.push(media.key);
    }
    expect(keys.map((k) => k.split("/").pop())).toEqual([
      "passwd.png",
      "win.ini.png",
      "2e-2e-2fx.png",
      "hidden.png",
      "c-d-.png",
      "unic-de.png",
      "file",
    ]);
    expect(new Set(keys).size).toBe(names.length);
  });

  it("the same name twice gives two objects (no overwrite)", async () => {
    const a = (await (await upload(png(), { fileName: "same.png" })).json()) as { key: string };
    const b = (await (await upload(png(), { fileName: "same.png" })).json()) as { key: string };
    expect(a.key).not.toBe(b.key);
    expect(await listKeys(`${WS}/`)).toHaveLength(2);
  });

  it("a missing file name or an empty body → 400", async () => {
    const noName = await authed("/dashboard/media", { method: "POST", body: png() });
    expect(noName.status).toBe(400);
    const empty = await upload(new Uint8Array(0));
    expect(empty.status).toBe(400);
  });

  it("a streamed body without Content-Length → 400", async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(png());
        controller.close();
      },
    });
    const res = await authed("/dashboard/media?fileName=a.png", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(400);
    await expectNothingStored();
  });

  it("if the core refuses the entity, the object is removed again", async () => {
    await fetch("http://core.test/__fail-next-create", { method: "POST" });
    const res = await upload(png());
    expect(res.status).toBe(503);
    expect(await listKeys(`${WS}/`)).toEqual([]);
  });
});

describe("direct upload: entity metadata", () => {
  it("tags and translations travel to the core with the measured fields", async () => {
    const translations = JSON.stringify([
      { lang: "en", label: "Gold badge" },
      { lang: "it", label: "Medaglia" },
    ]);
    const res = await upload(png(2048, 64, 32), { visibility: "public", tags: "badges,gold", translations });
    expect(res.status).toBe(201);
    const [create] = await coreCalls();
    expect(create?.signature).toBe("valid");
    expect(create?.headers["x-idempotency-key"]).toMatch(/^media-create-/);
    expect(create?.body).toMatchObject({
      visibility: "public",
      width: 64,
      height: 32,
      fileSize: 2048,
      tags: ["badges", "gold"],
      translations: [
        { lang: "en", label: "Gold badge" },
        { lang: "it", label: "Medaglia" },
      ],
    });
    const bad = await upload(png(), { translations: "[{]" });
    expect(bad.status).toBe(400);
  });
});
