export {
  domainEventsOf,
  EVENT_SOURCE,
  earliestCheckpoint,
  eventBridgePut,
  type PublishDeps,
  type PutDomainEvents,
  publishStreamBatch,
  toBusEntry,
} from "./publish";
