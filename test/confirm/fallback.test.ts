// When the server refuses the dry-run create for what only a new object meets, the confirm stage
// falls back visibly: a Service whose Git manifest sets its nodePort cannot be created again while
// the live one holds the port ("provided port is already allocated", HTTP 422). The stage then
// sends a server-side apply dry-run of Git's object onto the live one (fieldManager driftguard,
// force): its answer confirms a changed field Git sets, but it keeps what other managers set, so
// a field Git does not set (a label added by hand) stays the comparison's verdict, `confirmed:
// false`, with both reasons. Real kube-apiserver, the real plugin.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftResult } from '../../shared/types.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import { analyzeLocal, parseJson, tempDir, type JsonReport } from '../kit/plugin.ts';

const service = (ns: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'edge', namespace: ns },
  spec: {
    type: 'NodePort',
    selector: { app: 'edge' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }],
  },
});

let plane: SharedCluster;
/** The file's namespace (the Service's nodePort is cluster-wide: no other file uses 30080). */
let NS: string;
let repo: string;

async function analyze(): Promise<{ edge: DriftResult; stderr: string }> {
  const r = await analyzeLocal(repo, plane.kubeconfig);
  const edge = parseJson<JsonReport<DriftResult>>(r).drift_records.find((d) => d.name === 'edge');
  assert.ok(edge, 'edge not analysed');
  return { edge, stderr: r.stderr };
}

describe('confirm falls back to a server-side apply dry-run when the create is refused', () => {
  before(async () => {
    plane = await sharedCluster(import.meta.url);
    NS = plane.namespace;
    repo = tempDir('driftguard-fallback-');
    writeFileSync(join(repo, 'edge.yaml'), JSON.stringify(service(NS)));
    await plane.kubectlOk(['apply', '-f', join(repo, 'edge.yaml')]);
  });
  after(async () => {
    await plane?.stop();
  });

  it('the create is refused: the port Git sets is taken by the live Service', async () => {
    const r = await plane.kubectl(['create', '-f', '-', '--dry-run=server'], {
      input: JSON.stringify({ ...service(NS), metadata: { generateName: 'edge-', namespace: NS } }),
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /provided port is already allocated/);
  });

  it('a field Git sets is confirmed by the apply; one it does not set stays unconfirmed, saying why', async () => {
    await plane.kubectlOk(['label', '-n', NS, 'service/edge', 'team=payments']);
    await plane.kubectlOk([
      'patch',
      '-n',
      NS,
      'service/edge',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]',
    ]);
    const { edge, stderr } = await analyze();
    const byPath = new Map(edge.drift_details.map((d) => [d.path, d]));
    assert.deepEqual([...byPath.keys()].sort(), ['metadata.labels.team', 'spec.ports[port=80].targetPort']);

    const port = byPath.get('spec.ports[port=80].targetPort');
    assert.equal(port?.confirmed, true, JSON.stringify(port));
    assert.equal(port?.live, 9090);

    const label = byPath.get('metadata.labels.team');
    assert.equal(label?.confirmed, false);
    assert.match(
      label?.confirm_reason ?? '',
      /dry-run refused: HTTP 422.*provided port is already allocated/,
    );
    assert.match(
      label?.confirm_reason ?? '',
      /server-side apply dry-run used instead .* cannot confirm a field Git does not set/,
    );
    // The create, then the apply: two requests, one object confirmed.
    assert.match(stderr, /confirm: 1 object confirmed with the API server, 2 dry-run requests sent/);

    // Nothing was written: the apply was a dry-run.
    const live = JSON.parse(
      await plane.kubectlOk(['get', '-n', NS, 'service/edge', '-o', 'json', '--show-managed-fields']),
    ) as {
      spec: { ports: { targetPort: number }[] };
      metadata: { managedFields: { manager: string }[] };
    };
    assert.equal(live.spec.ports[0]?.targetPort, 9090);
    assert.ok(!live.metadata.managedFields.some((m) => m.manager === 'driftguard'));
  });
});
