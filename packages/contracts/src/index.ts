export * from './names.js';
export * from './msat.js';
export * from './hex.js';
export * from './coin-movement.schema.js';
export * from './notification.schema.js';
export * from './movement.js';
export * from './recorded.js';
