/** `@questline/aws-core/openapi`: the core's routes as an OpenAPI 3.1 document (merged into docs/openapi.json). */

export { coreAuthorizationModel } from "./app/authorization-model";
export { coreOpenApiDocument } from "./app/openapi";
