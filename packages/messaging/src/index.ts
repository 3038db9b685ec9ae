export * from './nats-client.js';
export * from './provisioning.js';
export * from './publisher.js';
export * from './batch-consumer.js';
export * from './jetstream-binding.js';
export * from './json-decoder.js';
export * from './request-reply.js';
export * from './ack-floor.js';
