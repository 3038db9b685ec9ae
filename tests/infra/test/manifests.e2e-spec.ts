// Both overlays render with kubectl's kustomize, and every object they produce, plus the
// CloudNativePG cluster and the NetworkPolicy shipped in the NATS values, validates against
// its Kubernetes schema (kubernetes-models; the CRDs through their @kubernetes-models packages).
// Every service logs in to NATS as its own user of the Helm values.
import { describe, expect, it } from 'vitest';
import { byKind, OVERLAYS, readObjects, readYaml, render, SERVICE_NAMES, validateObject, type K8sObject } from './infra.js';

/** A first image-name segment with a dot or a port, or `localhost`, is a registry host. */
function namesRegistryHost(image: string): boolean {
  const [first, ...rest] = image.split('/');
  return rest.length > 0 && (/[.:]/.test(first!) || first === 'localhost');
}

/** NATS user name → key of its password in bkpr-nats-users, from the Helm values (every account). */
function natsUserPasswordKeys(): Map<string, string> {
  const values = readYaml('infra/nats/helm-values.yaml');
  const env = values.container.env as Record<string, any>;
  const keys = new Map<string, string>();
  for (const account of Object.values<any>(values.config.merge.accounts)) {
    for (const user of account.users ?? []) {
      const variable = /^<< \$(\w+) >>$/.exec(user.password)?.[1];
      const ref = variable ? env[variable]?.valueFrom?.secretKeyRef : undefined;
      if (ref?.name === 'bkpr-nats-users') keys.set(user.user, ref.key);
    }
  }
  return keys;
}

/** The Secret in the app namespace holding each service's NATS password, key = service name. */
const NATS_CREDENTIALS_SECRET = 'bkpr-nats-credentials';

function podSpecs(objects: readonly K8sObject[]) {
  return objects.flatMap((o) => (o.kind === 'Deployment' || o.kind === 'Job' ? [{ owner: `${o.kind} ${o.metadata.name}`, spec: o.spec.template.spec }] : []));
}

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = render(overlay);

  it('renders the four services, their Services, budgets, policies and the migrations Job', () => {
    expect(byKind(objects, 'Deployment').map((d) => d.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(byKind(objects, 'Job').map((j) => j.metadata.name)).toEqual(['bkpr-migrate']);
    expect(byKind(objects, 'PodDisruptionBudget')).toHaveLength(SERVICE_NAMES.length);
    expect(byKind(objects, 'Service')).toHaveLength(SERVICE_NAMES.length);
    expect(byKind(objects, 'NetworkPolicy').length).toBeGreaterThan(0);
    expect(byKind(objects, 'ConfigMap')).toHaveLength(1);
  });

  it('validates every rendered object against its Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) validateObject(object);
  });

  it('puts every object in the overlay namespace', () => {
    const namespaces = new Set(objects.map((o) => o.metadata.namespace));
    expect(namespaces).toEqual(new Set([overlay === 'prod' ? 'bkpr' : 'bkpr-dev']));
  });

  it('logs every service in to NATS as its own user, the password from a Secret', () => {
    const passwordKeys = natsUserPasswordKeys();
    for (const deployment of byKind(objects, 'Deployment')) {
      const service = deployment.metadata.name;
      const container = deployment.spec.template.spec.containers.find((c: any) => c.name === service) ?? expect.fail(`${service}: no container named ${service}`);
      const env = new Map<string, any>((container.env ?? []).map((e: any) => [e.name, e]));
      expect(env.get('NATS_USER')?.value, `${service}: NATS_USER`).toBe(service);
      expect(env.get('NATS_PASSWORD')?.value, `${service}: NATS_PASSWORD is not a literal`).toBeUndefined();
      expect(env.get('NATS_PASSWORD')?.valueFrom?.secretKeyRef, `${service}: NATS_PASSWORD`).toEqual({ name: NATS_CREDENTIALS_SECRET, key: service });
      // the server knows that user, and reads its password from the key of the same name
      expect(passwordKeys.get(service), `NATS user ${service} in infra/nats/helm-values.yaml`).toBe(service);
    }
  });

  it('gives the migrations Job no NATS credentials: it only uses PostgreSQL', () => {
    for (const job of byKind(objects, 'Job')) {
      const names = job.spec.template.spec.containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.name));
      for (const name of ['NATS_USER', 'NATS_PASSWORD', 'NATS_CREDS_FILE']) expect(names, `${job.metadata.name}: ${name}`).not.toContain(name);
    }
  });

  it('names no registry host: the overlays only pin tags of the placeholder images', () => {
    for (const { owner, spec } of podSpecs(objects)) {
      for (const container of spec.containers) {
        expect(container.image, owner).toMatch(/^lightning-bookkeeper\/[a-z-]+:[\w.-]+$/);
        expect(namesRegistryHost(container.image), `${owner}: ${container.image}`).toBe(false);
      }
    }
  });
});

describe('overlays/dev', () => {
  const objects = render('dev');

  it('runs one replica of each service and no autoscaler', () => {
    for (const deployment of byKind(objects, 'Deployment')) expect(deployment.spec.replicas, deployment.metadata.name).toBe(1);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(byKind(objects, 'ScaledObject')).toEqual([]);
  });
});

describe('files outside the overlays', () => {
  it('validates the CloudNativePG Cluster and its ScheduledBackup', () => {
    const objects = readObjects('infra/postgres/cnpg-cluster.yaml');
    expect(objects.map((o) => o.kind)).toEqual(['Cluster', 'ScheduledBackup']);
    for (const object of objects) validateObject(object);
    const [cluster, backup] = objects as [K8sObject, K8sObject];
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.postgresql.synchronous).toMatchObject({ method: 'any', number: 1 });
    expect(cluster.spec.backup.barmanObjectStore.destinationPath).toBeTruthy();
    expect(backup.spec.cluster.name).toBe(cluster.metadata.name);
  });

  it('validates the extra objects of the NATS Helm values', () => {
    const extra = (readYaml('infra/nats/helm-values.yaml').extraResources ?? []) as K8sObject[];
    expect(extra.length).toBeGreaterThan(0);
    for (const object of extra) validateObject(object);
  });
});
