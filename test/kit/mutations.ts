// The one table of drift made by real kubectl commands against the examples (examples/*.yaml,
// applied to their namespace `demo`): each drift type, the command that makes it, the field
// manager kubectl records for it, and the command that puts it back. Used by the agent's watch
// suite (test/agent/drift-types.test.ts) and by `analyze --local` (test/plugin/analyze-local.test.ts),
// so both prove the same mutations.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** A kubectl invocation: plain arguments, or a read-edit-replace as `kubectl edit` does it. */
export type KubectlStep = string[] | { replace: string; edit: (obj: Record<string, unknown>) => void };

export interface Mutation {
  /** The drift type the engine gives it, and its severity. */
  type: string;
  severity: string;
  /** The field manager kubectl records for the change (as named by the engine); null: none. */
  manager: string | null;
  /** The resource id in namespace `ns`. */
  id: (ns: string) => string;
  drift: KubectlStep;
  revert: KubectlStep;
}

/** What the kit needs of a cluster: kubectl that throws on failure (Cluster.kubectlOk). */
export type Kubectl = (args: string[], opts?: { input?: string }) => Promise<string>;

const json = (ops: unknown): string => JSON.stringify(ops);
const patch = (target: string, ops: unknown, type: 'json' | 'strategic' = 'json'): string[] =>
  type === 'json' ? ['patch', target, '--type=json', '-p', json(ops)] : ['patch', target, '-p', json(ops)];
const spec = (obj: Record<string, unknown>): Record<string, unknown> => obj.spec as Record<string, unknown>;

export const MUTATIONS: Mutation[] = [
  {
    type: 'Scaling',
    severity: 'medium',
    manager: 'kubectl-scale',
    id: (ns) => `Deployment:${ns}:web`,
    drift: ['scale', 'deployment/web', '--replicas=5'],
    revert: ['scale', 'deployment/web', '--replicas=2'],
  },
  {
    type: 'VersionChange',
    severity: 'high',
    manager: 'kubectl-set',
    id: (ns) => `Deployment:${ns}:web`,
    drift: ['set', 'image', 'deployment/web', 'nginx=nginx:1.28.0'],
    revert: ['set', 'image', 'deployment/web', 'nginx=nginx:1.27.3'],
  },
  {
    type: 'ResourceChange',
    severity: 'medium',
    manager: 'kubectl-set',
    id: (ns) => `Deployment:${ns}:web`,
    drift: ['set', 'resources', 'deployment/web', '-c', 'nginx', '--limits=cpu=500m'],
    revert: ['set', 'resources', 'deployment/web', '-c', 'nginx', '--limits=cpu=200m'],
  },
  {
    type: 'ConfigurationChange',
    severity: 'medium',
    manager: 'kubectl-set',
    id: (ns) => `Deployment:${ns}:frontend`,
    drift: ['set', 'env', 'deployment/frontend', 'PODINFO_UI_COLOR=#ff0000'],
    revert: ['set', 'env', 'deployment/frontend', 'PODINFO_UI_COLOR=#34577c'],
  },
  {
    // What `kubectl edit` does: read, change, replace (field manager kubectl-replace).
    type: 'ConfigurationChange',
    severity: 'medium',
    manager: 'kubectl-replace',
    id: (ns) => `Deployment:${ns}:web`,
    drift: {
      replace: 'deployment/web',
      edit: (o) => {
        spec(o).minReadySeconds = 20;
      },
    },
    revert: {
      replace: 'deployment/web',
      edit: (o) => {
        delete spec(o).minReadySeconds;
      },
    },
  },
  {
    type: 'LabelChange',
    severity: 'low',
    manager: 'kubectl-label',
    id: (ns) => `Deployment:${ns}:web`,
    drift: ['label', 'deployment/web', 'team=ops', '--overwrite'],
    revert: ['label', 'deployment/web', 'team=web', '--overwrite'],
  },
  {
    type: 'AnnotationChange',
    severity: 'low',
    manager: 'kubectl-annotate',
    id: (ns) => `Deployment:${ns}:api`,
    drift: ['annotate', 'deployment/api', 'driftguard.io/owner=someone-else', '--overwrite'],
    revert: ['annotate', 'deployment/api', 'driftguard.io/owner=backend-team', '--overwrite'],
  },
  {
    type: 'PortChange',
    severity: 'medium',
    manager: 'kubectl-patch',
    id: (ns) => `Service:${ns}:api`,
    drift: patch('service/api', [{ op: 'replace', path: '/spec/ports/0/port', value: 81 }]),
    revert: patch('service/api', [{ op: 'replace', path: '/spec/ports/0/port', value: 80 }]),
  },
  {
    type: 'VolumeChange',
    severity: 'medium',
    manager: 'kubectl-patch',
    id: (ns) => `Deployment:${ns}:api`,
    drift: patch('deployment/api', [
      { op: 'replace', path: '/spec/template/spec/volumes/2/emptyDir/sizeLimit', value: '1Gi' },
    ]),
    revert: patch('deployment/api', [
      { op: 'replace', path: '/spec/template/spec/volumes/2/emptyDir/sizeLimit', value: '512Mi' },
    ]),
  },
  {
    type: 'ConfigMapChange',
    severity: 'medium',
    manager: 'kubectl-patch',
    id: (ns) => `ConfigMap:${ns}:app-config`,
    drift: patch('configmap/app-config', { data: { LOG_LEVEL: 'debug' } }, 'strategic'),
    revert: patch('configmap/app-config', { data: { LOG_LEVEL: 'info' } }, 'strategic'),
  },
  {
    type: 'SecretChange',
    severity: 'high',
    manager: 'kubectl-patch',
    id: (ns) => `Secret:${ns}:db-credentials`,
    drift: patch('secret/db-credentials', { stringData: { password: 'leaked-value-123' } }, 'strategic'),
    revert: patch(
      'secret/db-credentials',
      { stringData: { password: 'demo-password-change-me' } },
      'strategic',
    ),
  },
  {
    type: 'Missing',
    severity: 'high',
    manager: null,
    id: (ns) => `ConfigMap:${ns}:nginx-config`,
    drift: ['delete', 'configmap/nginx-config'],
    revert: ['apply', '-f', join(EXAMPLES, 'config.yaml')],
  },
];

/** Secret values the table writes: a test proves none is printed, stored or logged. */
export const SECRET_VALUES = ['leaked-value-123', 'demo-password-change-me'];

/** Runs one step in namespace `ns`. */
export async function runStep(kubectl: Kubectl, ns: string, step: KubectlStep): Promise<void> {
  if (Array.isArray(step)) {
    await kubectl([...step, '-n', ns]);
    return;
  }
  // A controller may write the object between the read and the replace (the Deployment controller
  // updates status right after a change): a 409 Conflict is answered as a user of `kubectl edit`
  // answers it, by reading again and re-applying the same edit.
  for (let attempt = 1; ; attempt++) {
    const obj = JSON.parse(await kubectl(['get', step.replace, '-o', 'json', '-n', ns])) as Record<
      string,
      unknown
    >;
    step.edit(obj);
    try {
      await kubectl(['replace', '-f', '-', '-n', ns], { input: JSON.stringify(obj) });
      return;
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('(Conflict)')) throw err;
    }
  }
}

/** A test name for a mutation: its type and the kubectl verb. */
export function mutationName(m: Mutation): string {
  const verb = Array.isArray(m.drift) ? m.drift.slice(0, m.drift[0] === 'set' ? 2 : 1).join(' ') : 'replace';
  return `${m.type}: kubectl ${verb}`;
}
