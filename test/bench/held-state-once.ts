// Child process of the held-state memory bench (held-state.ts): what the agent holds per tracked
// object, by consumer, measured in-process with forced GCs (run with --expose-gc). No API server
// and no agent: live objects are made from templates a real API server returned (argv[2], JSON:
// server-side applied and settled by the controllers), one JSON text per object parsed as a watch
// event is, and fed to the agent's own LiveState; desired objects are the same objects' files fed
// to the agent's own DesiredState as Git blobs. Prints one JSON line of heap bytes per consumer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredSource } from '../../agent/git/desired-source.ts';
import { DesiredState } from '../../agent/git/desired-state.ts';
import { Sources } from '../../agent/git/sources.ts';
import { LiveState } from '../../agent/kube/live-state.ts';
import { transition } from '../../agent/records/lifecycle.ts';
import { ResilientStore, SqliteStore } from '../../agent/store/index.ts';
import type { DriftRecord, KubeObject } from '../../shared/types.ts';
import { generateObjects, type BenchKind, type BenchObject } from './objects.ts';

export interface Template {
  kind: BenchKind;
  name: string;
  namespace: string;
  json: string;
}

const templates = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Template[];
const n = Number(process.argv[3] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const byKind = new Map<BenchKind, Template[]>();
for (const t of templates) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);

/** The object's live JSON as a watch event carries it: its template with its own identity. */
function liveText(o: BenchObject, i: number): string {
  const list = byKind.get(o.kind) ?? [];
  const t = list[Math.floor(i / 4) % list.length];
  if (!t) throw new Error(`no template of kind ${o.kind}`);
  return t.json
    .replaceAll(`"${t.name}"`, JSON.stringify(o.name))
    .replaceAll(`"${t.namespace}"`, JSON.stringify(o.namespace))
    .replace(/"uid":"[^"]*"/, `"uid":"${crypto.randomUUID()}"`)
    .replace(/"resourceVersion":"[^"]*"/, `"resourceVersion":"${100_000 + i}"`);
}

const objects = generateObjects(n);
const texts = objects.map(liveText);
const sample = JSON.parse(texts[0] ?? '{}') as KubeObject;
/** Bytes per object the phase keeps, over the same baseline (the inputs above stay allocated throughout). */
const result: Record<string, number> = {};
const measure = async (name: string, hold: () => unknown): Promise<void> => {
  const base = heap();
  const held = await hold();
  result[name] = Math.round((heap() - base) / n);
  // Kept reachable until measured.
  if (held === undefined) throw new Error(name);
};

await measure('listed', () => texts.map((t) => JSON.parse(t) as KubeObject));
await measure('liveView', () => {
  const state = new LiveState();
  for (const t of texts) state.upsert(JSON.parse(t) as KubeObject, false);
  return state;
});
await measure('liveViewWithoutManagedFields', () => {
  const state = new LiveState();
  for (const t of texts) {
    const o = JSON.parse(t) as KubeObject;
    delete o.metadata['managedFields'];
    state.upsert(o, false);
  }
  return state;
});
const gitDesired = (): DesiredState => {
  const desired = new DesiredState('default');
  desired.apply(
    'c0ffee',
    objects.map((o) => ({ path: o.path, content: Buffer.from(o.yaml) })),
    [],
  );
  if (desired.size !== n) throw new Error(`desired holds ${desired.size} of ${n}`);
  return desired;
};
await measure('desired', gitDesired);
// What the analysis reads: the sources' merged view over one Git source (agent/git/sources.ts).
await measure('desiredView', () => {
  const desired = gitDesired();
  const source = { name: 'default', spec: {}, desired, unstable: [], notCompared: [], commit: 'c0ffee' };
  return new Sources([source as unknown as DesiredSource]);
});
/**
 * Each object's record as the analysis makes it for an object in sync with Git (the common case
 * at scale): the engine's clean result through the record lifecycle, with its memo key.
 */
function cleanRecord(o: BenchObject, i: number, now: string): DriftRecord {
  const hash = `sha256:${(i.toString(16) + 'f'.repeat(64)).slice(0, 64)}`;
  const { record } = transition(
    null,
    {
      resource_id: `${o.kind}:${o.namespace}:${o.name}`,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      api_version: o.kind === 'Deployment' ? 'apps/v1' : 'v1',
      drift_detected: false,
      drift_status: 'none',
      drift_type: null,
      severity: null,
      drift_details: [],
      desired_hash: hash,
      live_hash: `sha256:${hash.slice(7)}`,
      git_commit: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      source_file: o.path,
      source: 'default',
    },
    now,
  );
  return { ...record, verdict_key: `v2:${hash.slice(7, 23)}|${crypto.randomUUID()}@${100_000 + i}` };
}

// The records the agent keeps in memory (the store's record cache), as a restart fills it: every
// record read back from the embedded store in one full read.
const storeDir = mkdtempSync(join(tmpdir(), 'driftguard-held-store-'));
try {
  const now = new Date().toISOString();
  const seed = new SqliteStore({ path: join(storeDir, 'records.db') });
  await seed.init();
  await seed.saveRecords(objects.map((o, i) => ({ record: cleanRecord(o, i, now), event: null })));
  await seed.close();
  await measure('records', async () => {
    const store = new ResilientStore(new SqliteStore({ path: join(storeDir, 'records.db') }));
    await store.init();
    if ((await store.allRecords()).length !== n) throw new Error('records not all read back');
    return store;
  });
} finally {
  rmSync(storeDir, { recursive: true, force: true });
}

console.log(
  JSON.stringify({
    n,
    bytesPerObject: result,
    sampleManagers: (sample.metadata['managedFields'] as { manager: string }[] | undefined)?.map(
      (m) => m.manager,
    ),
  }),
);
