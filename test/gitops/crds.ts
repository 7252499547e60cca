// Argo CD's and Flux's own CRDs (crds/, see ORIGIN.md), applied and waited for. `kubectl wait
// --for=condition=Established` fails at once, instead of waiting, on a CRD the apiextensions
// controller has not given a status yet ("<nil> is of the type <nil>"), so the wait is retried.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlPlane } from '../cluster/control-plane.ts';
import { untilTrue } from '../kit/poll.ts';

const CRDS = join(dirname(fileURLToPath(import.meta.url)), 'crds');

export async function applyGitopsCrds(plane: Pick<ControlPlane, 'kubectl' | 'kubectlOk'>): Promise<void> {
  // Server-side: the Application CRD is larger than client-side apply's annotation allows.
  await plane.kubectlOk(['apply', '--server-side', '-f', CRDS]);
  let last = '';
  await untilTrue(
    'the GitOps CRDs established',
    async () => {
      const r = await plane.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=10s']);
      last = r.stderr;
      return r.code === 0;
    },
    { timeoutMs: 60_000, detail: () => last },
  );
}
