export * from './movement-id.js';
export * from './normalize.js';
export * from './balances.js';
