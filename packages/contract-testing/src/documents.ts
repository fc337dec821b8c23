/**
 * The documents the test suites check against: ours (docs/openapi.json, generated from the
 * routes by `npm run openapi`) and the AWorld reference (reference/, copied from the shared
 * reference; its `/…` paths are our `/app/…` and `/dashboard/…`).
 */
import ourDocument from "../../../docs/openapi.json";
import appReference from "../reference/aworld-app.openapi.json";
import dashboardReference from "../reference/aworld-dashboard.openapi.json";
import { ContractDocument, type OpenApiDocument } from "./contract";

export const questlineDocument = new ContractDocument({
  name: "docs/openapi.json",
  document: ourDocument as unknown as OpenApiDocument,
});

export const referenceDocuments: ContractDocument[] = [
  new ContractDocument({
    name: "aworld-app.openapi.json",
    document: appReference as unknown as OpenApiDocument,
    basePath: "/app",
  }),
  new ContractDocument({
    name: "aworld-dashboard.openapi.json",
    document: dashboardReference as unknown as OpenApiDocument,
    basePath: "/dashboard",
  }),
];
