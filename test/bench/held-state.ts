// What the agent holds per tracked object, by consumer (issue 25: memory proportional to what is
// compared), at sizes an API server on this machine could not be filled to in a session: a real
// cluster (startCluster: controllers write status, revisions, their managedFields) is given 40 of
// the scale bench's objects by server-side apply and settles; those live objects become templates,
// and a child process per size (held-state-once.ts) makes n objects of them with their own
// identity, feeds the agent's own LiveState and DesiredState, and measures the heap each keeps
// after forced GCs. Labelled as such: in-process figures of the held state, not an agent's RSS
// (the scale bench measures that, with the API server, at the sizes it can apply).
//
//   npm run bench -- held [--held-sizes 1000,10000,100000]
//   (DRIFTGUARD_HELD_TEMPLATES=<file> keeps the templates there and reuses them: no cluster then)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCluster } from '../cluster/cluster.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { Template } from './held-state-once.ts';
import { applyObjects, benchNamespaces, generateObjects } from './objects.ts';
import { figure, note } from './report.ts';

const TEMPLATES = 40;
const CONSUMERS: Record<string, string> = {
  listed: 'live object as listed (JSON.parse of the watch event)',
  liveView: 'live view entry (LiveState: index entry + kept projection)',
  liveViewWithoutManagedFields: 'live view entry if managedFields were dropped (reference)',
  desired: 'desired object (DesiredState from the Git blobs)',
  desiredView: 'desired object and its entry in the merged view the analysis reads (Sources)',
  records: "record in the store's record cache, as a restart reads it back (embedded store, in sync)",
};

async function captureTemplates(): Promise<Template[]> {
  const cluster = await startCluster();
  try {
    const objects = generateObjects(TEMPLATES);
    await applyObjects(cluster, objects, { batch: TEMPLATES, parallel: 1 });
    await cluster.settle(benchNamespaces());
    const out: Template[] = [];
    for (const o of objects) {
      const json = await cluster.kubectlOk([
        'get',
        o.kind.toLowerCase(),
        o.name,
        '-n',
        o.namespace,
        '-o',
        'json',
        '--show-managed-fields',
      ]);
      const obj = JSON.parse(json) as KubeObject;
      out.push({ kind: o.kind, name: o.name, namespace: o.namespace, json: JSON.stringify(obj) });
    }
    return out;
  } finally {
    await cluster.stop();
  }
}

export async function runHeldStateBench(sizes: number[]): Promise<void> {
  const section = 'held state per object (in-process, no API server)';
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-held-'));
  try {
    // DRIFTGUARD_HELD_TEMPLATES=<file>: templates kept there and reused (no cluster) when present.
    const kept = process.env['DRIFTGUARD_HELD_TEMPLATES'];
    const file = kept ?? join(dir, 'templates.json');
    if (!kept || !existsSync(kept)) writeFileSync(file, JSON.stringify(await captureTemplates()));
    const child = resolve(import.meta.dirname, 'held-state-once.ts');
    for (const n of sizes) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', child, file, String(n)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
        bytesPerObject: Record<string, number>;
        sampleManagers?: string[];
      };
      for (const [key, value] of Object.entries(r.bytesPerObject))
        figure({ section, name: `${CONSUMERS[key] ?? key}, ${n} objects`, value, unit: 'B' });
      if (n === sizes[0]) note(`${section}: a Deployment's managers ${JSON.stringify(r.sampleManagers)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
