// The NATS Helm values: a 3-node JetStream cluster on disk that fsyncs every write, and users
// whose permissions are exactly the subjects the code uses (names from @bkpr/contracts and the
// consumers' constants): only the gateway publishes movements (reporting only its operator
// description edits), reporting answers queries and reads the ledger's progress, the ledger and
// reconciler drive only their own durable consumer, outsiders only read.
import { describe, expect, it } from 'vitest';
import { busNames, MOVEMENT_KINDS } from '@bkpr/contracts';
import { byKind, readYaml, render } from './infra.js';

interface Permissions {
  publish?: { allow?: string[]; deny?: string[] };
  subscribe?: { allow?: string[]; deny?: string[] };
  allow_responses?: boolean;
}
interface User {
  user: string;
  password: string;
  permissions?: Permissions;
}

const values = readYaml('infra/nats/helm-values.yaml');
const prod = render('prod');
const ns = byKind(prod, 'ConfigMap')[0]!.data.BKPR_NAMESPACE as string;
const names = busNames(ns);
const { ledger: LEDGER_CONSUMER, reconciler: RECONCILER_CONSUMER } = names.consumers;
const account = byKind(prod, 'ScaledObject')[0]!.spec.triggers[0].metadata.account as string;
const users: User[] = values.config.merge.accounts[account]?.users ?? [];
const userNamed = (name: string) => users.find((u) => u.user === name) ?? expect.fail(`no NATS user ${name} in account ${account}`);

/** NATS subject matching: `*` is one token, `>` one or more; a wildcard subject needs a pattern at least as wide. */
function covers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return i < s.length;
    if (i >= s.length || s[i] === '>') return false;
    if (p[i] !== '*' && (s[i] === '*' || p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

function may(user: User, action: 'publish' | 'subscribe', subject: string): boolean {
  const rules = user.permissions?.[action];
  if (!rules) return true; // NATS: no rule for an action allows all of it
  const allowed = rules.allow ? rules.allow.some((p) => covers(p, subject)) : true;
  return allowed && !(rules.deny ?? []).some((p) => covers(p, subject));
}

/** What the messaging code publishes to for stream provisioning (every service provisions at boot). */
const provisioning = ['$JS.API.INFO', ...Object.values(names.streams).flatMap((s) => [`$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.UPDATE.${s}`])];
/** ...and to drive one durable pull consumer: create/update, info, fetch, ack/nak/term. */
const consuming = (stream: string, durable: string, filter: string) => [
  `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
  `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
  `$JS.ACK.${stream}.${durable}.1.42.42.1700000000000000000.0`,
];
const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const movement = names.movementSubject(node, 'chain');
const recorded = names.recordedSubject(node, 'chain');
const derived = `${ns}.derived.${node}.onchain_fee`;

describe('NATS Helm values', () => {
  it('run a 3-node JetStream cluster on file storage with sync_interval always', () => {
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true, pvc: { enabled: true } }, memoryStore: { enabled: false } });
    expect(values.config.jetstream.merge.sync_interval).toBe('always');
    expect(Number(byKind(prod, 'ConfigMap')[0]!.data.BKPR_STREAM_REPLICAS)).toBeLessThanOrEqual(values.config.cluster.replicas);
  });

  it('enable JetStream in the account the KEDA triggers read, and export JetStream metrics', () => {
    expect(values.config.merge.accounts[account]?.jetstream).toBe('enabled');
    expect(values.config.monitor.enabled).toBe(true);
    expect(values.promExporter.enabled).toBe(true);
  });

  it('give every user explicit publish and subscribe rules and a password from the Secret', () => {
    const env = values.container.env as Record<string, any>;
    for (const user of [...users, ...values.config.merge.accounts.SYS.users]) {
      const variable = /^<< \$(\w+) >>$/.exec(user.password)?.[1] ?? expect.fail(`${user.user}: password is not an env reference`);
      expect(env[variable]?.valueFrom?.secretKeyRef?.name, `${user.user}: ${variable}`).toBe('bkpr-nats-users');
      if (user.user !== 'sys') {
        expect(user.permissions?.publish, `${user.user} publish rules`).toBeDefined();
        expect(user.permissions?.subscribe, `${user.user} subscribe rules`).toBeDefined();
      }
    }
  });

  it(`let only the gateway publish ${names.movementFilter}`, () => {
    expect(users.filter((u) => may(u, 'publish', movement)).map((u) => u.user)).toEqual(['ingest-gateway']);
    expect(users.filter((u) => may(u, 'publish', names.movementFilter)).map((u) => u.user)).toEqual(['ingest-gateway']);
    for (const kind of MOVEMENT_KINDS.filter((k) => k !== 'description')) {
      const subject = names.movementSubject(node, kind);
      expect(users.filter((u) => may(u, 'publish', subject)).map((u) => u.user), subject).toEqual(['ingest-gateway']);
    }
  });

  it(`let reporting publish ${ns}.movement.*.description (operator edits), and no other movement`, () => {
    const reporting = userNamed('reporting');
    const description = names.movementSubject(node, 'description');
    expect(may(reporting, 'publish', `${ns}.movement.*.description`)).toBe(true);
    expect(may(reporting, 'publish', description)).toBe(true);
    expect(may(reporting, 'publish', names.movementFilter)).toBe(false);
    expect(may(reporting, 'publish', `${ns}.movement.*.*`)).toBe(false);
    expect(may(reporting, 'publish', `${ns}.movement.${node}.>`)).toBe(false);
    for (const kind of MOVEMENT_KINDS.filter((k) => k !== 'description')) {
      expect(may(reporting, 'publish', names.movementSubject(node, kind)), kind).toBe(false);
    }
    // JetStream publish: the PubAck is the reply, on the client's inbox
    expect(may(reporting, 'subscribe', '_INBOX.>')).toBe(true);
    expect(users.filter((u) => may(u, 'publish', description)).map((u) => u.user).sort()).toEqual(['ingest-gateway', 'reporting']);
  });

  it('let reporting read the movements stream and the ledger consumer (read-your-writes), and only read them', () => {
    const reporting = userNamed('reporting');
    const { movements, recorded: recordedStream } = names.streams;
    expect(may(reporting, 'publish', `$JS.API.STREAM.INFO.${movements}`)).toBe(true);
    expect(may(reporting, 'publish', `$JS.API.CONSUMER.INFO.${movements}.${LEDGER_CONSUMER}`)).toBe(true);
    for (const subject of [
      `$JS.API.CONSUMER.INFO.${recordedStream}.${RECONCILER_CONSUMER}`,
      `$JS.API.CONSUMER.DELETE.${movements}.${LEDGER_CONSUMER}`,
      `$JS.API.STREAM.DELETE.${movements}`,
      `$JS.API.STREAM.PURGE.${movements}`,
      `$JS.API.STREAM.MSG.GET.${movements}`,
    ]) {
      expect(may(reporting, 'publish', subject), subject).toBe(false);
    }
  });

  it(`let reporting, and only reporting, answer ${names.querySubject('>')}`, () => {
    const reporting = userNamed('reporting');
    expect(may(reporting, 'subscribe', names.querySubject('>'))).toBe(true);
    expect(reporting.permissions?.allow_responses).toBe(true);
    expect(users.filter((u) => may(u, 'subscribe', names.querySubject('listbalances'))).map((u) => u.user)).toEqual(['reporting']);
    // `subject queue` would restrict the queue groups; a plain subject allows any
    const rules = (reporting.permissions?.subscribe?.allow ?? []).filter((p) => covers(p.split(' ')[0]!, names.querySubject('>')));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule, 'no queue restriction').not.toContain(' ');
  });

  it('let outside subscribers read recorded facts and derived figures, and nothing else', () => {
    const outside = userNamed('subscriber');
    expect(may(outside, 'subscribe', `${ns}.recorded.>`)).toBe(true);
    expect(may(outside, 'subscribe', `${ns}.derived.>`)).toBe(true);
    for (const subject of [names.movementFilter, names.dlqFilter, names.querySubject('>'), names.ingestSubject, '$JS.API.>', '_INBOX.>', '>']) {
      expect(may(outside, 'subscribe', subject), `subscribe ${subject}`).toBe(false);
    }
    for (const subject of [movement, recorded, derived, names.querySubject('listbalances'), '$JS.API.INFO', 'anything']) {
      expect(may(outside, 'publish', subject), `publish ${subject}`).toBe(false);
    }
  });

  it('let each service provision the streams and receive JetStream replies', () => {
    for (const name of ['ingest-gateway', 'ledger', 'reconciler', 'reporting']) {
      const user = userNamed(name);
      for (const subject of provisioning) expect(may(user, 'publish', subject), `${name}: ${subject}`).toBe(true);
      expect(may(user, 'subscribe', '_INBOX.>'), `${name}: _INBOX.>`).toBe(true);
    }
  });

  it('let the ledger drive its consumer, announce recorded facts and dead-letter, and not touch the reconciler', () => {
    const ledger = userNamed('ledger');
    for (const subject of [...consuming(names.streams.movements, LEDGER_CONSUMER, names.movementFilter), recorded, names.dlqSubject(LEDGER_CONSUMER)]) {
      expect(may(ledger, 'publish', subject), subject).toBe(true);
    }
    for (const subject of [...consuming(names.streams.recorded, RECONCILER_CONSUMER, names.recordedFilter), derived, names.dlqSubject(RECONCILER_CONSUMER)]) {
      expect(may(ledger, 'publish', subject), subject).toBe(false);
    }
  });

  it('let the reconciler drive its consumer, announce derived figures and dead-letter, and not touch the ledger', () => {
    const reconciler = userNamed('reconciler');
    for (const subject of [...consuming(names.streams.recorded, RECONCILER_CONSUMER, names.recordedFilter), derived, names.dlqSubject(RECONCILER_CONSUMER)]) {
      expect(may(reconciler, 'publish', subject), subject).toBe(true);
    }
    for (const subject of [...consuming(names.streams.movements, LEDGER_CONSUMER, names.movementFilter), recorded, names.dlqSubject(LEDGER_CONSUMER)]) {
      expect(may(reconciler, 'publish', subject), subject).toBe(false);
    }
  });

  it('keep the gateway and reporting away from the consumers and from announcing facts', () => {
    const infoOnly = `$JS.API.CONSUMER.INFO.${names.streams.movements}.${LEDGER_CONSUMER}`;
    for (const name of ['ingest-gateway', 'reporting']) {
      const user = userNamed(name);
      for (const subject of [...consuming(names.streams.movements, LEDGER_CONSUMER, names.movementFilter), recorded, derived, names.dlqSubject(name)]) {
        // reporting reads the ledger consumer's info (read-your-writes), pinned above
        if (name === 'reporting' && subject === infoOnly) continue;
        expect(may(user, 'publish', subject), `${name}: ${subject}`).toBe(false);
      }
    }
  });
});
