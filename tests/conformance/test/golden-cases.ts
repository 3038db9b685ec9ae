import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GoldenQuery {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly query_after: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string };
  readonly label?: string;
}

export interface GoldenCase {
  readonly name: string;
  readonly about: string;
  readonly node_id: string;
  readonly notifications: readonly { method: string; params: Record<string, unknown>; replay?: boolean }[];
  readonly queries: readonly GoldenQuery[];
  readonly csv?: Record<string, string>;
  readonly csv_consolidate_fees_false?: Record<string, string>;
}

const casesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');

export function goldenCases(): GoldenCase[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as GoldenCase);
}

/**
 * Where we differ from CLN's run on purpose or for want of its node's RPC, per case and
 * query: the reason is printed with the skipped comparison.
 */
export function knownDifference(c: GoldenCase, q: GoldenQuery): string | null {
  if (q.method === 'bkpr-channelsapy' && c.name === 'channel_we_opened_mutual_close') {
    return 'CLN ends an open channel\'s period at its node\'s chain tip (getinfo: 150); we only know the blocks we were told about';
  }
  if (c.name === 'balance_snapshot_journal' && q.query_after >= 4) {
    return 'CLN synthesizes the unknown channel\'s open/push from its node (listpeerchannels); we journal the balance instead';
  }
  return null;
}

/**
 * CLN's answer as we give it where we differ on purpose in a way that still compares:
 * `transfer_from: null` means "no origin" to us, not an account named "null".
 */
export function asWeAnswer(expected: unknown, c: GoldenCase): unknown {
  const fromNode = new Set(DESCRIPTIONS_FROM_NODE[c.name] ?? []);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'origin' && inner === 'null') continue;
      if (key === 'description' && fromNode.has(String(inner))) continue;
      out[key] = strip(inner);
    }
    return out;
  };
  return strip(expected);
}

/**
 * Invoice descriptions CLN's plugin looked up on its own node (listinvoices, listsendpays).
 * A notification does not carry them; without a node connector we have none.
 */
const DESCRIPTIONS_FROM_NODE: Record<string, readonly string[]> = {
  channel_we_opened_mutual_close: ['coffee beans', '1 cup coffee'],
};

/** The CSV CLN wrote, less the descriptions it had from its node (see DESCRIPTIONS_FROM_NODE). */
export function csvAsWeWrite(csv: string, format: string, c: GoldenCase): string {
  let out = csv;
  for (const d of DESCRIPTIONS_FROM_NODE[c.name] ?? []) out = out.replaceAll(`"${d}"`, format === 'quickbooks' ? 'no desc' : '');
  return out;
}
