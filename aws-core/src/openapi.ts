/** `@questline/aws-core/openapi`: the core's routes as an OpenAPI 3.1 document (merged into docs/openapi.json). */
export { coreOpenApiDocument } from "./app/openapi";
export { coreAuthorizationModel } from "./app/authorization-model";
