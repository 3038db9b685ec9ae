import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, startServiceProcess, type RunningService } from '@bkpr/testing';

const alice = '02' + 'a1'.repeat(32);
const bob = '03' + 'b2'.repeat(32);
const anyToken = 'reader-token-for-all-nodes';
const aliceToken = 'reader-token-for-alice-only';
const deposit = (node: string, vout: number) => ({
  coin_movement: {
    version: 2, node_id: node, type: 'chain_mvt', account_id: 'wallet', utxo_txid: 'ab'.repeat(32), vout,
    credit_msat: 1_000 * (vout + 1), debit_msat: 0, output_msat: 1_000 * (vout + 1), tags: ['deposit'], blockheight: 1, timestamp: 1_700_000_000, coin_type: 'bc',
  },
});

const ns = freshNamespace('bkpr_trep');
const services: RunningService[] = [];
let reporting: RunningService;
let nc: NatsConnection;

async function rpc(method: string, params: unknown, token?: string) {
  const res = await fetch(`${reporting.url}/v1/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  services.push(await startServiceProcess('ingest-gateway', await freePort(), ns.env()));
  services.push(await startServiceProcess('ledger', await freePort(), ns.env()));
  reporting = await startServiceProcess('reporting', await freePort(), ns.env({ BKPR_READ_TOKENS: `${anyToken},${aliceToken}=${alice}` }));
  services.push(reporting);
  const res = await fetch(`${services[0]!.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([deposit(alice, 0), deposit(bob, 1)]) });
  expect(res.status).toBe(202);
  nc = await connect({ servers: ns.natsUrl });
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await Promise.all(services.map((s) => s.stop()));
  await ns.cleanup();
});

describe('reporting access and transports', () => {
  it('needs a read token when tokens are configured', async () => {
    expect((await rpc('bkpr-listbalances', {})).status).toBe(401);
  });

  it('scopes a node-bound token to its node, and refuses another node', async () => {
    const all = await rpc('bkpr-listbalances', {}, anyToken);
    expect(all.json.accounts.map((a: any) => a.node_id).sort()).toEqual([alice, bob].sort());
    const scoped = await rpc('bkpr-listbalances', {}, aliceToken);
    expect(scoped.json.accounts).toEqual([{ account: 'wallet', balances: [{ balance_msat: 1000, coin_type: 'bc' }], node_id: alice }]);
    expect((await rpc('bkpr-listbalances', { node_id: bob }, aliceToken)).status).toBe(403);
  });

  it('takes positional params as lightning-cli does, and answers CLN-style parameter errors', async () => {
    const positional = await rpc('listincome', [false, 0, 2_000_000_000], anyToken);
    expect(positional.status).toBe(200);
    expect(positional.json.income_events).toHaveLength(2);
    expect(await rpc('bkpr-dumpincomecsv', { csv_format: 'excel' }, anyToken)).toEqual({
      status: 400,
      json: { code: -32602, message: 'csv_format: should be one of: "cointracker","koinly","harmony","quickbooks": invalid token (see logs for details)' },
    });
    expect((await rpc('bkpr-listaccountevents', { account: 'nope' }, anyToken)).json).toEqual({ code: -32602, message: "Account 'nope' not found" });
  });

  it('gives balances as they were at a past time', async () => {
    const before = await rpc('bkpr-listbalances', { end_time: 1_699_999_999 }, anyToken);
    expect(before.json.accounts.every((a: any) => a.balances.length === 0)).toBe(true);
    const after = await rpc('bkpr-listbalances', { end_time: 1_700_000_000 }, anyToken);
    expect(after.json.accounts.flatMap((a: any) => a.balances.map((b: any) => b.balance_msat)).sort()).toEqual([1000, 2000]);
  });

  it('pages long answers with limit and next_cursor', async () => {
    const first = await rpc('bkpr-listaccountevents', { limit: 1 }, anyToken);
    expect(first.json.events).toHaveLength(1);
    const second = await rpc('bkpr-listaccountevents', { limit: 1, cursor: first.json.next_cursor }, anyToken);
    expect(second.json.events).toHaveLength(1);
    expect(second.json.next_cursor).toBeUndefined();
    expect(second.json.events[0]).not.toEqual(first.json.events[0]);

    const all = await rpc('bkpr-listincome', {}, anyToken);
    const pages: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await rpc('bkpr-listincome', { limit: 1, ...(cursor ? { cursor } : {}) }, anyToken);
      pages.push(...page.json.income_events);
      cursor = page.json.next_cursor;
    } while (cursor !== undefined);
    expect(all.json.income_events).toHaveLength(2);
    expect(pages).toEqual(all.json.income_events);
  });

  it('formats income lines with bkpr-report', async () => {
    const res = await rpc('bkpr-report', { format: '{account},{tag},{credit}', headers: ['account,tag,credit'], node_id: alice }, anyToken);
    expect(res.status).toBe(200);
    expect(res.json.report).toEqual(['account,tag,credit', 'wallet,deposit,0.00000001000']);
    expect((await rpc('bkpr-report', { format: '{nope}' }, anyToken)).json.code).toBe(-32602);
  });

  it('answers the friendly GETs as the commands, params in the query string', async () => {
    const get = async (path: string, token = anyToken) => {
      const res = await fetch(`${reporting.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, json: (await res.json()) as any };
    };
    const strip = (answer: any) => ({ ...answer, as_of: undefined });
    expect(strip((await get(`/v1/balances?node_id=${alice}&end_time=1700000000`)).json)).toEqual(strip((await rpc('bkpr-listbalances', { node_id: alice, end_time: 1_700_000_000 }, anyToken)).json));
    expect(strip((await get('/v1/income?consolidate_fees=false&start_time=0&limit=1')).json)).toEqual(strip((await rpc('bkpr-listincome', { consolidate_fees: false, start_time: 0, limit: 1 }, anyToken)).json));
    expect(strip((await get(`/v1/accounts/wallet/events?node_id=${bob}`)).json)).toEqual(strip((await rpc('bkpr-listaccountevents', { account: 'wallet', node_id: bob }, anyToken)).json));
    expect((await get('/v1/problems')).json.problems).toEqual([]);
    expect((await get('/v1/channels/apy')).status).toBe(200);
    expect(await get('/v1/income?start_time=yesterday')).toMatchObject({ status: 400, json: { code: -32602 } });
    expect((await get(`/v1/balances?node_id=${bob}`, aliceToken)).status).toBe(403);
  });

  it('serves its OpenAPI document, generated from the params schemas', async () => {
    const doc = (await (await fetch(`${reporting.url}/openapi.json`)).json()) as any;
    expect(Object.keys(doc.paths)).toContain('/v1/rpc/bkpr-listincome');
    expect(doc.paths['/v1/rpc/bkpr-listincome'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('consolidate_fees');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/balances', '/v1/income', '/v1/accounts/{account}/events', '/v1/problems']));
    // The UI (Swagger, set up on the first request): its page, the script that points it at the document, its assets.
    const page = await fetch(`${reporting.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    expect(await (await fetch(`${reporting.url}/docs/swagger-ui-init.js`)).text()).toContain('/v1/rpc/bkpr-listincome');
    expect((await fetch(`${reporting.url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${reporting.url}/docsx`)).status).toBe(404);
  });

  it('answers the same commands on NATS <ns>.query.<method>', async () => {
    const h = headers();
    h.set('Authorization', `Bearer ${aliceToken}`);
    const reply = await nc.request(ns.names.querySubject('bkpr-listbalances'), '{}', { timeout: 10_000, headers: h });
    expect(reply.headers?.get('Bkpr-Status')).toBe('200');
    expect((reply.json() as any).accounts).toEqual([{ account: 'wallet', balances: [{ balance_msat: 1000, coin_type: 'bc' }], node_id: alice }]);
    const unknown = await nc.request(ns.names.querySubject('bkpr-nosuch'), '{}', { timeout: 10_000, headers: h });
    expect(unknown.headers?.get('Bkpr-Status')).toBe('404');
  });

  it('organization-wide, a send from one node to another is an internal transfer: no withdrawal, no income, only the fee', async () => {
    const t = 'ef'.repeat(32);
    const base = { version: 2, type: 'chain_mvt', coin_type: 'bc' };
    const sendFromAlice = [
      { coin_movement: { ...base, node_id: alice, account_id: 'external', originating_account: 'wallet', utxo_txid: t, vout: 0, credit_msat: 900, debit_msat: 0, output_msat: 900, tags: ['deposit'], blockheight: 0, timestamp: 1_700_000_100 } },
      { coin_movement: { ...base, node_id: alice, account_id: 'wallet', txid: t, utxo_txid: 'ab'.repeat(32), vout: 0, credit_msat: 0, debit_msat: 1_000, output_msat: 1_000, tags: ['withdrawal'], blockheight: 10, timestamp: 1_700_000_101 } },
    ];
    const arrivalAtBob = { coin_movement: { ...base, node_id: bob, account_id: 'wallet', utxo_txid: t, vout: 0, credit_msat: 900, debit_msat: 0, output_msat: 900, tags: ['deposit'], blockheight: 10, timestamp: 1_700_000_102 } };
    const res = await fetch(`${services[0]!.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([arrivalAtBob, ...sendFromAlice]) });
    expect(res.status).toBe(202);
    const org = await rpc('bkpr-listincome', {}, anyToken);
    const atT = org.json.income_events.filter((r: any) => r.outpoint === `${t}:0` || r.txid === t);
    expect(atT.map((r: any) => [r.node_id, r.tag, r.debit_msat])).toEqual([[alice, 'onchain_fee', 100]]);
    const aliceOnly = await rpc('bkpr-listincome', { node_id: alice }, anyToken);
    expect(aliceOnly.json.income_events.map((r: any) => r.tag)).toContain('withdrawal');
  });
});
