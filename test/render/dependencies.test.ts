// The dependency fetcher under the renderer, against a real chart repository on loopback (charts
// from `helm package`, index from `helm repo index`, basic auth): what it takes (an alias of an
// allowed repository, the version Chart.lock pins) and what it refuses (an archive whose sha256
// is not the one the index publishes, an index entry pointing outside the allowed repositories,
// wrong credentials), each with a message that says why.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import {
  DependencyFetcher,
  render,
  RenderError,
  type RenderSpec,
  type Tools,
} from '../../shared/node/render/index.ts';
import { configMapTemplate, helm, startChartRepo, writeChart, type ChartRepo } from './chart-repos.ts';
import { renderTools } from './tools.ts';

const USER = 'reader';
const PASSWORD = 'pw-dependencies-test';

let work: string;
let charts: ChartRepo;
let tools: Tools;

function fetcher(password = PASSWORD): DependencyFetcher {
  return new DependencyFetcher({
    repositories: [
      { url: charts.url, name: 'stable', credentials: () => Promise.resolve({ username: USER, password }) },
    ],
    cacheDir: mkdtempSync(join(work, 'cache-')),
    maxChartBytes: 1 << 20,
    maxIndexBytes: 1 << 20,
    maxCacheBytes: 8 << 20,
    indexTtlMs: 60_000,
    timeoutMs: 10_000,
  });
}

/** A chart in the "checkout" depending on `dep` (optionally pinned by a Chart.lock). */
function app(
  name: string,
  dep: { name: string; version: string; repository: string },
  locked?: string,
): RenderSpec {
  const dir = writeChart(
    join(work, 'checkout'),
    name,
    '0.1.0',
    { 'templates/own.yaml': configMapTemplate('own', '1') },
    [dep],
  );
  if (locked)
    writeFileSync(
      join(dir, 'Chart.lock'),
      stringify({
        dependencies: [{ ...dep, version: locked }],
        digest: 'sha256:0',
        generated: '2026-01-01T00:00:00Z',
      }),
    );
  return { repoDir: join(work, 'checkout'), path: name, type: 'helm', namespace: 'ns', commit: null, tools };
}

async function madeBy(spec: RenderSpec, f: DependencyFetcher): Promise<string[]> {
  const r = await render({ ...spec, dependencies: f });
  return r.objects.map((o) => String((o.object['data'] as Record<string, string>)['made-by'])).sort();
}

async function refusedWith(spec: RenderSpec, f: DependencyFetcher, message: RegExp): Promise<void> {
  await assert.rejects(render({ ...spec, dependencies: f }), (err: unknown) => {
    assert.ok(err instanceof RenderError, String(err));
    assert.match(err.message, message);
    for (const secret of [
      PASSWORD,
      'not-the-password',
      Buffer.from(`${USER}:`).toString('base64').slice(0, 8),
    ])
      assert.ok(!err.message.includes(secret), `the message shows a credential: ${err.message}`);
    return true;
  });
}

describe('chart dependencies through the renderer', () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftguard-deps-'));
    tools = await renderTools();
    const home = join(work, 'helm-home');
    const served = join(work, 'served');
    for (const v of ['1.0.0', '1.1.0']) {
      writeChart(join(work, 'src', v), 'lib', v, { 'templates/cm.yaml': configMapTemplate('lib', v) });
      await helm(home, ['package', join(work, 'src', v, 'lib'), '--destination', served]);
    }
    for (const name of ['tampered', 'far']) {
      writeChart(join(work, 'src'), name, '1.0.0', { 'templates/cm.yaml': configMapTemplate(name, '1.0.0') });
      await helm(home, ['package', join(work, 'src', name), '--destination', served]);
    }
    charts = await startChartRepo(served, USER, PASSWORD);
    await helm(home, ['repo', 'index', served, '--url', charts.url]);
    // After indexing: the tampered archive's bytes change; far's entry points outside the repository.
    writeFileSync(join(served, 'tampered-1.0.0.tgz'), readFileSync(join(served, 'lib-1.0.0.tgz')));
    const index = parse(readFileSync(join(served, 'index.yaml'), 'utf8')) as {
      entries: Record<string, { urls: string[] }[]>;
    };
    for (const e of index.entries['far'] ?? [])
      e.urls = [charts.url.replace(/\/charts$/, '/elsewhere/far-1.0.0.tgz')];
    writeFileSync(join(served, 'index.yaml'), stringify(index));
  });
  after(async () => {
    await charts?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('takes a repository by its alias and the newest version in range', async () => {
    assert.deepEqual(
      await madeBy(app('by-alias', { name: 'lib', version: '^1.0.0', repository: '@stable' }), fetcher()),
      ['lib-1.1.0', 'own-1'],
    );
  });

  it('takes the version Chart.lock pins', async () => {
    const spec = app('locked', { name: 'lib', version: '^1.0.0', repository: charts.url }, '1.0.0');
    assert.deepEqual(await madeBy(spec, fetcher()), ['lib-1.0.0', 'own-1']);
  });

  it('refuses an archive whose sha256 is not the published one', async () => {
    const spec = app('tampered-app', { name: 'tampered', version: '1.0.0', repository: charts.url });
    await refusedWith(
      spec,
      fetcher(),
      /chart archive tampered-1\.0\.0\.tgz from .*: sha256 [0-9a-f]{64} differs from the published [0-9a-f]{64}; refusing it/,
    );
  });

  it('refuses an index entry that points outside the allowed repositories', async () => {
    const spec = app('far-app', { name: 'far', version: '1.0.0', repository: charts.url });
    await refusedWith(
      spec,
      fetcher(),
      /the index points at http:\/\/127\.0\.0\.1:\d+\/elsewhere\/far-1\.0\.0\.tgz, outside render\.helm\.repositories/,
    );
    assert.ok(!charts.served.some((p) => p.startsWith('/elsewhere')));
  });

  it('says which credentials were refused, and never shows the password', async () => {
    const spec = app('wrong-pw', { name: 'lib', version: '1.0.0', repository: charts.url });
    await refusedWith(
      spec,
      fetcher('not-the-password'),
      /index\.yaml answered 401 \(check the credentials Secret of this repository\)/,
    );
  });
});
