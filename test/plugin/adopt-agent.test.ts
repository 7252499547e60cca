// `adopt` through the agent: the agent's record says which fields drifted and /desired which file and
// document declare the object; the plugin writes the live values into the user's checkout, after which
// `analyze --local` on that checkout finds the object in sync. A Secret whose values drifted is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readByLibrary } from '../../shared/engine/parse.ts';
import type { DriftResult } from '../../shared/types.ts';
import { startFixture, startWatchOnlyAgent, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { parseJson, runPlugin, type JsonReport, type RunResult } from '../kit/plugin.ts';

const WEB = 'Deployment:demo:web';
const SERVICE = 'Service:demo:web';

let fx: Fixture;
let agent: AgentProcess;

function dg(args: string[]): Promise<RunResult> {
  return runPlugin([...args, '--agent-url', agent.apiUrl, '--kubeconfig', fx.plane.kubeconfig]);
}

async function desired(id: string): Promise<{ source_file: string; source_document: number | null }> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}/desired`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { source_file: string; source_document: number | null };
}

describe('adopt through the agent', () => {
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx);
  });
  after(async () => {
    await fx?.stop();
  });

  it('/desired names the file and the document that declares each object', async () => {
    for (const id of [WEB, SERVICE]) {
      const d = await desired(id);
      assert.equal(d.source_file, 'manifests/web.yaml');
      assert.ok(d.source_document !== null, `${id}: no document`);
      // The n-th non-empty document of the file is the object.
      const docs = readByLibrary(readFileSync(join(fx.repo.dir, d.source_file), 'utf8'))
        .docs.map((x) => x.toJS() as { kind?: string; metadata?: { name?: string } } | null)
        .filter((x) => x !== null);
      const doc = docs[d.source_document - 1];
      assert.equal(`${doc?.kind ?? ''}:demo:${doc?.metadata?.name ?? ''}`, id);
    }
    assert.notEqual((await desired(WEB)).source_document, (await desired(SERVICE)).source_document);
  });

  it('writes the record`s live values into the checkout; analyze --local then finds it in sync', async () => {
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=6']);
    await fx.plane.kubectlOk(['-n', 'demo', 'label', 'deployment/web', 'incident=inc-7']);
    await waitForRecord(
      agent,
      WEB,
      (r) => r.drift_status === 'active' && r.drift_details.length === 2,
      20_000,
    );
    const r = await dg(['adopt', 'deployment/web', '-n', 'demo', '--repo', fx.repo.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /adopted 2 field\(s\) of Deployment demo\/web into manifests\/web\.yaml \(document 1\):/,
    );
    assert.match(r.stdout, /spec\.replicas: \d+ → 6 \(changed live by kubectl-scale\)/);
    assert.match(
      r.stdout,
      /metadata\.labels\.incident: \(absent\) → inc-7 \(changed live by kubectl-label\)/,
    );
    const local = parseJson<JsonReport<DriftResult>>(
      await runPlugin([
        'analyze',
        '--local',
        '--repo',
        fx.repo.dir,
        '--path',
        'manifests',
        '-o',
        'json',
        '--kubeconfig',
        fx.plane.kubeconfig,
      ]),
    );
    const web = local.drift_records.find((d) => d.resource_id === WEB);
    assert.deepEqual(web?.drift_details, []);
  });

  it('refuses a Secret whose values drifted', async () => {
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'secret/db-credentials',
      '-p',
      '{"stringData":{"password":"hand-rotated-9"}}',
    ]);
    await waitForRecord(agent, 'Secret:demo:db-credentials', (r) => r.drift_status === 'active', 20_000);
    const r = await dg(['adopt', 'secret/db-credentials', '-n', 'demo', '--repo', fx.repo.dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /refusing to adopt data\.password of Secret:demo:db-credentials: Secret values are never written to Git/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /hand-rotated-9/);
  });
});
