export {
  DOMAIN_EVENT_DATA,
  DOMAIN_EVENT_TYPES,
  type DomainEventType,
  domainEventDescription,
  domainEventSchema,
} from "./catalog";
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
