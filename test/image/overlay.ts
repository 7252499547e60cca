// The test overlay that installs the shipped manifests/ onto the harness's real node: the smallest
// set of changes a one-node loopback cluster needs, each for a stated reason, and nothing that
// touches what the pod proves (security contexts, probes, volumes, resources stay as shipped).
//   image                  the locally built image (npm run build:image), imported, never pulled
//   imagePullPolicy Never  there is no registry; a missing image fails instead of pulling
//   replicas: 1            one node: two hostNetwork replicas would ask for the same host ports
//   hostNetwork + KUBERNETES_SERVICE_HOST/PORT
//                          the API server listens on 127.0.0.1 only and there is no kube-proxy, so
//                          the in-cluster Service address (10.96.0.1) leads nowhere; the agent's
//                          ports 8080 (127.0.0.1) and 8081 are then the machine's, and must be free
//   nodeSelector + toleration
//                          onto the real node, which is tainted so other suites' pods stay on kwok
// Test-specific configuration (Git URL, intervals) comes in as DRIFTGUARD_* variables, the way
// the manifests let any install override its ConfigMap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { REAL_NODE_TAINT } from '../cluster/node/kubelet.ts';
import { ROOT } from '../kit/plugin.ts';

export const SHIPPED_IMAGE = 'ghcr.io/driftguard/agent';

export interface OverlayOptions {
  /** Where to write kustomization.yaml (a fresh directory). */
  dir: string;
  /** The image reference to run, `name:tag` (test/image/build.sh's agent.json `ref`). */
  image: string;
  apiServerPort: number;
  nodeName: string;
  /** More environment for the agent container (DRIFTGUARD_* configuration). */
  env?: Record<string, string>;
  /** What the overlay builds on: manifests/ (the default) or one of its overlays. */
  base?: string;
}

function splitRef(ref: string): { newName: string; newTag: string } {
  const i = ref.lastIndexOf(':');
  if (i < 0 || ref.slice(i).includes('/')) return { newName: ref, newTag: 'latest' };
  return { newName: ref.slice(0, i), newTag: ref.slice(i + 1) };
}

/** Writes the overlay; `kubectl apply -k <dir>` installs it. */
export function writeTestOverlay(opts: OverlayOptions): string {
  mkdirSync(opts.dir, { recursive: true });
  const env = {
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(opts.apiServerPort),
    ...opts.env,
  };
  const patch = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'driftguard-agent', namespace: 'driftguard' },
    spec: {
      replicas: 1,
      template: {
        spec: {
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/hostname': opts.nodeName },
          tolerations: [{ ...REAL_NODE_TAINT, operator: 'Equal' }],
          containers: [
            {
              name: 'agent',
              imagePullPolicy: 'Never',
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
            },
          ],
        },
      },
    },
  };
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(opts.dir, opts.base ?? join(ROOT, 'manifests'))],
    images: [{ name: SHIPPED_IMAGE, ...splitRef(opts.image) }],
    patches: [{ patch: stringify(patch) }],
  };
  writeFileSync(join(opts.dir, 'kustomization.yaml'), stringify(kustomization));
  return opts.dir;
}
