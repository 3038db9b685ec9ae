import { parseNotification, type Movement } from '@bkpr/contracts';
import { normalizeNotification } from '@bkpr/domain';

/** A notification's movements, as the gateway makes them; a bench's own fixture that does not pass is a bug: it throws. */
export function movementsOfNotification(body: unknown, nodeId: string | null): Movement[] {
  const parsed = parseNotification(body);
  if (!parsed.ok) throw new Error(`bench notification does not parse: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
  const normalized = normalizeNotification(parsed.notification, { nodeId });
  if (!normalized.ok) throw new Error(`bench notification does not normalize: ${normalized.path}: ${normalized.message}`);
  return normalized.movements;
}
