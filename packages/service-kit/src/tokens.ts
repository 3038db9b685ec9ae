/** DI token of the service's typed, frozen config. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
