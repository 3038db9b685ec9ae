import { describe, expect, it } from 'vitest';
import { parseNotification, type Movement } from '@bkpr/contracts';
import { answerCommand, checkClnParams, describedEventsJson, factFromMovement, keepBooks, normalizeNotification, type Fact } from '@bkpr/domain';
import { asWeAnswer, csvAsWeWrite, goldenCases, knownDifference, type GoldenCase, type GoldenQuery } from './golden-cases.js';

/** JSON as the services send it: bigint msat become plain integers. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));

function movementsOf(c: GoldenCase, params: Record<string, unknown>): Movement[] {
  const parsed = parseNotification(params);
  if (!parsed.ok) throw new Error(`${c.name}: ${JSON.stringify(parsed.issues)}`);
  const normalized = normalizeNotification(parsed.notification, { nodeId: c.node_id });
  if (!normalized.ok) throw new Error(`${c.name}: ${normalized.message}`);
  return normalized.movements;
}

function answer(c: GoldenCase, facts: Fact[], q: GoldenQuery, seq: { next: bigint }): unknown {
  const method = q.method.replace(/^bkpr-/, '');
  if (method === 'editdescriptionbyoutpoint' || method === 'editdescriptionbypaymentid') {
    // Checked as CLN checks them (as the reporting service does before it records the edit).
    const checked = checkClnParams(method, q.params);
    if (!checked.ok) return { error: { code: checked.code, message: checked.message } };
    const by = method === 'editdescriptionbyoutpoint' ? 'outpoint' : 'payment_id';
    const key = String(checked.value[by]);
    facts.push({ type: 'description', seq: seq.next++, by, key, description: String(checked.value['description']) });
    return describedEventsJson(keepBooks(facts), by, key);
  }
  const result = answerCommand(keepBooks(facts), method, q.params);
  if (!result.ok) return { error: { code: result.code, message: result.message } };
  if (method === 'dumpincomecsv') {
    const { csv, ...rest } = result.value as { csv: string };
    const format = String(q.params['csv_format']);
    const expectedCsv = (q.params['consolidate_fees'] === false ? c.csv_consolidate_fees_false : c.csv)?.[format];
    if (!knownDifference(c, q)) expect(csv, `${format} csv`).toBe(csvAsWeWrite(expectedCsv ?? '', format, c));
    return { ...rest, csv_file: q.params['csv_file'] };
  }
  return result.value;
}

describe.each(goldenCases().map((c) => [c.name, c] as const))('golden case %s, replayed through the domain', (_name, c) => {
  it('gives CLN\'s answers after every notification', () => {
    const facts: Fact[] = [];
    const seen = new Set<string>();
    const seq = { next: 1n };
    const skipped: string[] = [];
    for (let i = -1; i < c.notifications.length; i++) {
      if (i >= 0) {
        for (const m of movementsOf(c, c.notifications[i]!.params)) {
          if (seen.has(m.id)) continue; // an exact replay: dropped (JetStream's msg-id, then the unique key)
          seen.add(m.id);
          facts.push(factFromMovement(m, seq.next++));
        }
      }
      for (const q of c.queries.filter((q) => q.query_after === i)) {
        const why = knownDifference(c, q);
        const label = `${q.method} ${JSON.stringify(q.params)} after #${i}`;
        const got = plain(answer(c, facts, q, seq));
        if (why) {
          skipped.push(`${label}: ${why}`);
          continue;
        }
        const expected = asWeAnswer(q.error ? { error: q.error } : q.result, c);
        expect(got, label).toEqual(expected);
      }
    }
    if (skipped.length) console.log(`${c.name}: not compared —\n  ${skipped.join('\n  ')}`);
  });
});
