// The kustomize and helm built by the harness (binaries.json), as the renderer's Tools.
import { execFile } from 'node:child_process';
import { helmTool, kustomizeTool, type Tools } from '../../shared/node/render/tools.ts';
import { binaries, type Binaries } from '../cluster/binaries.ts';

export function renderBinaries(): Pick<Binaries, 'kustomize' | 'helm' | 'kustomizeVersion' | 'helmVersion'> {
  return binaries();
}

export async function renderTools(): Promise<Tools> {
  const b = binaries();
  return { kustomize: await kustomizeTool(b.kustomize), helm: await helmTool(b.helm) };
}

/** The built helm against a test cluster, as a user runs it (its own HOME; extra env such as HELM_DRIVER). */
export function runHelm(
  kubeconfig: string,
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries().helm,
      [...args, '--kubeconfig', kubeconfig],
      { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: home, ...env } },
      (err, _out, stderr) => (err ? reject(new Error(`helm ${args.join(' ')}: ${stderr}`)) : resolve()),
    );
  });
}
