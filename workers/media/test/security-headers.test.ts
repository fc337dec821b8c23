import { describe, expect, it } from "vitest";
import { authed, call, png, putPrivatePdf, token, upload } from "./support/helpers";

/**
 * #14 item 5: every answer of the media worker says `X-Content-Type-Options: nosniff` (its JSON,
 * the error handler's, 404s), as the api worker's do; delivered files keep their own sandboxing
 * CSP (the HTML-only headers of `securityHeaders()` never replace it).
 */
describe("every media answer says X-Content-Type-Options: nosniff", () => {
  it("uploads, signed URLs, auth errors, bad input, unknown paths and missing files", async () => {
    const key = await putPrivatePdf();
    const appToken = await token({ context: "app" });
    const answers = {
      uploaded: await upload(png(2048)),
      signedUrl: await authed(
        "/media/signed-urls",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) },
        appToken,
      ),
      unauthenticated: await call("/dashboard/media?fileName=x.png", { method: "POST", body: png(64) }),
      viewerForbidden: await upload(png(64), {}, { tokenValue: await token({ role: "viewer" }) }),
      notJson: await authed(
        "/media/signed-urls",
        { method: "POST", headers: { "content-type": "text/plain" }, body: "key" },
        appToken,
      ),
      unknownPath: await call("/nowhere"),
      missingFile: await call("/files/wsMediaAAA/public/nothing0000000000000/none.png"),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.status]));
    expect(statuses).toEqual({
      uploaded: 201,
      signedUrl: 200,
      unauthenticated: 401,
      viewerForbidden: 403,
      notJson: 415,
      unknownPath: 404,
      missingFile: 404,
    });
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
      expect(res.headers.get("content-type"), name).toMatch(/^application\/json/);
      expect(res.headers.get("content-security-policy"), name).toBeNull();
      await res.body?.cancel();
    }
  });

  it("a delivered file keeps its own sandboxing CSP and nosniff", async () => {
    const key = await putPrivatePdf();
    const res = await call(`/files/${key}`, {
      headers: { authorization: `Bearer ${await token({ context: "app" })}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    await res.body?.cancel();
  });
});
