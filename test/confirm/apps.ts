// The Git side of the confirm tests: two Deployments in a namespace the admission chain
// (admission.ts) rewrites: `web`, and `audited`, which the audit webhook also sees (it refuses
// dry-runs, so its suspected drift stays unconfirmed). Shared by the plugin (local.test.ts) and
// the agent (agent.test.ts) suites.
import type { ControlPlane } from '../cluster/control-plane.ts';
import { ADMISSION_LABEL, SIDE_EFFECTS_LABEL } from './admission.ts';

export function deployment(ns: string, name: string, labels: Record<string, string> = {}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, ...labels } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'prod' }] }] },
      },
    },
  };
}

/** apps.yaml of namespace `ns`: `web` and `audited`, as one YAML stream (JSON documents). */
export function appsYaml(ns: string): string {
  const docs = [deployment(ns, 'web'), deployment(ns, 'audited', { [SIDE_EFFECTS_LABEL]: 'on' })];
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/** A fresh namespace the admission chain applies to. */
export async function admissionNamespace(plane: Pick<ControlPlane, 'kubectlOk'>, ns: string): Promise<void> {
  await plane.kubectlOk(['create', 'namespace', ns]);
  await plane.kubectlOk(['label', 'namespace', ns, `${ADMISSION_LABEL}=on`]);
}
