// The kustomize and helm built by the harness (binaries.json), as the renderer's Tools.
import { helmTool, kustomizeTool, type Tools } from '../../shared/node/render/tools.ts';
import { binaries, type Binaries } from '../cluster/binaries.ts';

export function renderBinaries(): Pick<Binaries, 'kustomize' | 'helm' | 'kustomizeVersion' | 'helmVersion'> {
  return binaries();
}

export async function renderTools(): Promise<Tools> {
  const b = binaries();
  return { kustomize: await kustomizeTool(b.kustomize), helm: await helmTool(b.helm) };
}
