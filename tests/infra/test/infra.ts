// What the infra tests share: rendering the kustomize overlays with the machine's kubectl,
// reading the other files of infra/, and the Kubernetes schemas of every kind we ship.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import * as coreV1 from 'kubernetes-models/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as kedaV1alpha1 from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as cnpgV1 from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fromRoot = (path: string) => `${repoRoot}${path}`;

/** A rendered Kubernetes object; the fields the tests read are checked before use. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: any;
}

export type Overlay = 'dev' | 'prod';
export const OVERLAYS: readonly Overlay[] = ['dev', 'prod'];

/** The four services: Deployment, container and Dockerfile target all carry this name. */
export const SERVICE_NAMES = ['ingest-gateway', 'reporting', 'ledger', 'reconciler'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';

/**
 * `kubectl kustomize infra/k8s/overlays/<overlay>`. Any kubectl from 1.20 (Debian's
 * kubernetes-client, kustomize v2.0.3) renders these kustomizations; newer ones print
 * deprecation warnings on stderr, which are not errors.
 */
export function render(overlay: Overlay): K8sObject[] {
  let output: string;
  try {
    output = execFileSync(KUBECTL, ['kustomize', fromRoot(`infra/k8s/overlays/${overlay}`)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${KUBECTL} not found: install kubectl (Debian: apt-get install kubernetes-client)`);
    throw new Error(`kubectl kustomize overlays/${overlay} failed: ${e.stderr ?? e.message}`);
  }
  return parseObjects(output, `overlays/${overlay}`);
}

/** Every YAML document of a file under the repository root, e.g. `infra/postgres/cnpg-cluster.yaml`. */
export function readObjects(path: string): K8sObject[] {
  return parseObjects(readFileSync(fromRoot(path), 'utf8'), path);
}

export function readYaml(path: string): any {
  const [doc, ...rest] = parseAllDocuments(readFileSync(fromRoot(path), 'utf8'));
  if (!doc || rest.length) throw new Error(`${path}: expected one YAML document`);
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]!.message}`);
  return doc.toJS();
}

function parseObjects(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0]!.message}`);
    const value = doc.toJS();
    if (value === null) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

export const byKind = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

export function one(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Schema models by apiVersion; a kind we render but cannot validate fails the test (no silent skip). */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'keda.sh/v1alpha1': kedaV1alpha1,
  'monitoring.coreos.com/v1': monitoringV1,
  'postgresql.cnpg.io/v1': cnpgV1,
};

/** Validates one object against its JSON schema; throws with the object named. */
export function validateObject(object: K8sObject): void {
  const model = MODELS[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  if (typeof model !== 'function') {
    throw new Error(`no schema model for ${object.apiVersion} ${object.kind}: add its @kubernetes-models package`);
  }
  try {
    new model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata?.name}: ${(error as Error).message}`);
  }
}

/** Does `selector` (matchLabels only, the form we write) select pods carrying `labels`? */
export function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not evaluated by these tests');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
