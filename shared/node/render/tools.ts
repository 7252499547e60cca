// Which renderer binaries to use and their versions. Explicit paths (config or the
// DRIFTGUARD_KUSTOMIZE / DRIFTGUARD_HELM environment) win; else `kustomize` and `helm` on PATH;
// `kubectl kustomize` stands in for kustomize when only kubectl is there. A version is asked once per path.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Tool {
  /** 'kustomize', 'kubectl kustomize' or 'helm'. */
  name: string;
  file: string;
  /** Arguments before the tool's own (`kustomize` for kubectl). */
  prefix: string[];
  version: string;
}

export interface Tools {
  kustomize: Tool | null;
  helm: Tool | null;
}

export interface ToolPaths {
  kustomize?: string | undefined;
  helm?: string | undefined;
  kubectl?: string | undefined;
}

export function onPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

function output(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: 15_000, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } },
      (err, out) => resolve(err ? '' : out),
    );
  });
}

const versions = new Map<string, Promise<string>>();

function versionOf(key: string, probe: () => Promise<string>): Promise<string> {
  let v = versions.get(key);
  if (!v) {
    v = probe().then((s) => s || 'unknown');
    versions.set(key, v);
  }
  return v;
}

/** `v5.8.2` from kustomize's `version`, `v4.3.2` from helm's `version --short`, kubectl's embedded kustomize. */
export async function kustomizeTool(file: string): Promise<Tool> {
  const version = await versionOf(`kustomize ${file}`, async () => {
    const out = await output(file, ['version']);
    return /v\d+\.\d+\.\d+\S*/.exec(out)?.[0] ?? out.trim();
  });
  return { name: 'kustomize', file, prefix: [], version };
}

export async function kubectlKustomizeTool(file: string): Promise<Tool> {
  const version = await versionOf(`kubectl ${file}`, async () => {
    const out = await output(file, ['version', '--client', '-o', 'json']);
    try {
      const v = JSON.parse(out) as { kustomizeVersion?: string; clientVersion?: { gitVersion?: string } };
      return `${v.kustomizeVersion ?? 'unknown'} (kubectl ${v.clientVersion?.gitVersion ?? '?'})`;
    } catch {
      return '';
    }
  });
  return { name: 'kubectl kustomize', file, prefix: ['kustomize'], version };
}

export async function helmTool(file: string): Promise<Tool> {
  const version = await versionOf(`helm ${file}`, async () => {
    const out = await output(file, ['version', '--short']);
    return (/v\d+\.\d+\.\d+/.exec(out)?.[0] ?? out.trim()).replace(/\+.*$/, '');
  });
  return { name: 'helm', file, prefix: [], version };
}

/** Finds the tools; a tool that cannot be found is null (rendering that type then fails clearly). */
export async function findTools(paths: ToolPaths = {}): Promise<Tools> {
  const kustomize = paths.kustomize ?? process.env['DRIFTGUARD_KUSTOMIZE'] ?? onPath('kustomize');
  const kubectl = paths.kubectl ?? onPath('kubectl');
  const helm = paths.helm ?? process.env['DRIFTGUARD_HELM'] ?? onPath('helm');
  return {
    kustomize: kustomize
      ? await kustomizeTool(kustomize)
      : kubectl
        ? await kubectlKustomizeTool(kubectl)
        : null,
    helm: helm ? await helmTool(helm) : null,
  };
}
