/** The API reference page (replaced by a page rendered from the document). */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Questline API</title></head>
<body><main><h1>Questline API</h1><p>The OpenAPI 3.1 document is at <a href="/openapi.json">/openapi.json</a>.</p></main></body></html>`;
