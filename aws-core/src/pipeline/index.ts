export {
  type ApplyEventInput,
  type ApplyEventResult,
  createEventPipeline,
  DOMAIN_EVENT_VERSION,
  DOMAIN_EVENTS_ATTRIBUTE,
  type EventPipeline,
  type EventPipelineOptions,
  MAX_DERIVATION_DEPTH,
} from "./apply-event";
export { backoff, commitCounter, commitTransaction, MAX_ATTEMPTS } from "./commit";
export type * from "./consumer";
export { setPerUserSerialization } from "./serialize";
export { MAX_TRANSACT_ITEMS, TransactionBuilder, type TransactTag } from "./transaction";
