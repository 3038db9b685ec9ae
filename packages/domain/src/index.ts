export * from './movement-id.js';
export * from './normalize.js';
export * from './bookkeeper/index.js';
