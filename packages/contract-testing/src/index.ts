/** JSON-pointer segment encoding as the validator indexes documents (for `validateAt`). */
export { encodePointer } from "@cfworker/json-schema";
export {
  ContractDocument,
  type ContractDocumentOptions,
  type Mismatch,
  type OpenApiDocument,
  type Operation,
  type ResponseFacts,
} from "./contract";
export { PENDING, type PendingMismatch, pendingFor } from "./pending";
export {
  type Against,
  ContractViolationError,
  checkResponse,
  describeViolation,
  type ValidatingFetchOptions,
  type Violation,
  validatingFetch,
} from "./validating-fetch";
