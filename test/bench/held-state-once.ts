// Child process of the held-state memory bench (held-state.ts): what the agent holds per tracked
// object, by consumer, measured in-process with forced GCs (run with --expose-gc). No API server
// and no agent: live objects are made from templates a real API server returned (argv[2], JSON:
// server-side applied and settled by the controllers), one JSON text per object parsed as a watch
// event is, and fed to the agent's own LiveState; desired objects are the same objects' files fed
// to the agent's own DesiredState as Git blobs. Prints one JSON line of heap bytes per consumer.
import { readFileSync } from 'node:fs';
import type { DesiredSource } from '../../agent/git/desired-source.ts';
import { DesiredState } from '../../agent/git/desired-state.ts';
import { Sources } from '../../agent/git/sources.ts';
import { LiveState } from '../../agent/kube/live-state.ts';
import type { KubeObject } from '../../shared/types.ts';
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
const measure = (name: string, hold: () => unknown): void => {
  const base = heap();
  const held = hold();
  result[name] = Math.round((heap() - base) / n);
  // Kept reachable until measured.
  if (held === undefined) throw new Error(name);
};

measure('listed', () => texts.map((t) => JSON.parse(t) as KubeObject));
measure('liveView', () => {
  const state = new LiveState();
  for (const t of texts) state.upsert(JSON.parse(t) as KubeObject, false);
  return state;
});
measure('liveViewWithoutManagedFields', () => {
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
measure('desired', gitDesired);
// What the analysis reads: the sources' merged view over one Git source (agent/git/sources.ts).
measure('desiredView', () => {
  const desired = gitDesired();
  const source = { name: 'default', spec: {}, desired, unstable: [], notCompared: [], commit: 'c0ffee' };
  return new Sources([source as unknown as DesiredSource]);
});
console.log(
  JSON.stringify({
    n,
    bytesPerObject: result,
    sampleManagers: (sample.metadata['managedFields'] as { manager: string }[] | undefined)?.map(
      (m) => m.manager,
    ),
  }),
);
