export * from './namespace.js';
export * from './poll.js';
export * from './service-process.js';
export * from './nats-server.js';
