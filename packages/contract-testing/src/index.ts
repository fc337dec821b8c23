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
