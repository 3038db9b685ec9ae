import { FORMAT_NAMES, type FormatFactory, type FormatName, type NotificationFormat } from './format.js';
import { createNewerFormat } from './newer.js';
import { createV2Format } from './v2.js';

export { FORMAT_NAMES, type FormatFactory, type FormatName, type NotificationFormat } from './format.js';
export { createV2Format, encodeV2, THIRD_PARTY_PLUGIN } from './v2.js';
export { createNewerFormat } from './newer.js';

/** Every format the generator can write. */
export const FORMATS: Readonly<Record<FormatName, FormatFactory>> = { v2: createV2Format, newer: createNewerFormat };

export function createFormat(name: FormatName): NotificationFormat {
  const factory = FORMATS[name];
  if (!factory) throw new Error(`format "${String(name)}": expected one of ${FORMAT_NAMES.join(', ')}`);
  return factory();
}
