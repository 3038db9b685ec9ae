import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, SERVICES, startServiceProcess, type RunningService } from '@bkpr/testing';
import { asWeAnswer, csvAsWeWrite, goldenCases, knownDifference, type GoldenCase, type GoldenQuery } from './golden-cases.js';

/** Drops the fields we add to CLN's answers: `node_id` on rows, `as_of` on results. */
function withoutOurFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOurFields);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'node_id' && k !== 'as_of').map(([k, v]) => [k, withoutOurFields(v)]));
}

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe.each(goldenCases().map((c) => [c.name, c] as const))('golden case %s, through the running services', (_name, c: GoldenCase) => {
  const ns = freshNamespace('bkpr_tconf');
  const services = new Map<string, RunningService>();
  const url = (name: string) => services.get(name)!.url;

  beforeAll(async () => {
    await migrateDatabase(ns.databaseUrl);
    for (const s of await Promise.all(SERVICES.map(async (name) => startServiceProcess(name, await freePort(), ns.env())))) services.set(s.name, s);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await ns.cleanup();
  });

  async function ask(q: GoldenQuery): Promise<unknown> {
    const res = await post(`${url('reporting')}/v1/rpc/${q.method}`, q.params);
    if (res.status !== 200) return { error: res.json };
    if (q.method === 'bkpr-dumpincomecsv') {
      const format = String(q.params['csv_format']);
      const query = new URLSearchParams({ format });
      for (const key of ['consolidate_fees', 'start_time', 'end_time']) if (q.params[key] !== undefined) query.set(key, String(q.params[key]));
      const csv = await (await fetch(`${url('reporting')}/v1/income.csv?${query}`)).text();
      const expected = (q.params['consolidate_fees'] === false ? c.csv_consolidate_fees_false : c.csv)?.[format] ?? '';
      if (!knownDifference(c, q)) expect(csv, `${format} csv`).toBe(csvAsWeWrite(expected, format, c));
    }
    return withoutOurFields(res.json);
  }

  it("gives CLN's answers after every notification", async () => {
    for (let i = -1; i < c.notifications.length; i++) {
      if (i >= 0) {
        const n = c.notifications[i]!;
        const res = await post(`${url('ingest-gateway')}/v1/notifications?node_id=${c.node_id}`, n.params);
        expect(res.status, `notification #${i}`).toBe(202);
        if (n.replay) expect(res.json.accepted, `replay #${i} is dropped`).toBe(0);
      }
      for (const q of c.queries.filter((q) => q.query_after === i)) {
        const got = await ask(q);
        if (knownDifference(c, q)) continue;
        expect(got, `${q.method} ${JSON.stringify(q.params)} after #${i}`).toEqual(asWeAnswer(q.error ? { error: q.error } : q.result, c));
      }
    }
  }, 120_000);
});
