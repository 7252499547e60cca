// Resolved dependency versions survive a restart (shared/node/render/deps/resolved-book.ts): a new
// fetcher on the same cache directory, as a restarted agent has, takes the version and the archive
// from disk without a request, and after index_ttl, with the repository stopped, still renders the
// last answer (said in a warning); a damaged book is ignored, never trusted. Against a real chart
// repository on loopback (charts from `helm package`, index from `helm repo index`, basic auth).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DependencyFetcher } from '../../shared/node/render/index.ts';
import { configMapTemplate, helm, startChartRepo, writeChart, type ChartRepo } from './chart-repos.ts';

const USER = 'reader';
const PASSWORD = 'pw-resolved-book-test';

describe('resolved dependency versions across a restart', () => {
  let work: string;
  let charts: ChartRepo;
  let chartDir: string;
  let cacheDir: string;
  const fetcher = (indexTtlMs: number, dir = cacheDir) =>
    new DependencyFetcher({
      repositories: [
        { url: charts.url, credentials: () => Promise.resolve({ username: USER, password: PASSWORD }) },
      ],
      cacheDir: dir,
      maxChartBytes: 1 << 20,
      maxIndexBytes: 1 << 20,
      maxCacheBytes: 8 << 20,
      indexTtlMs,
      timeoutMs: 10_000,
    });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftguard-resolved-'));
    const home = join(work, 'helm-home');
    const served = join(work, 'served');
    for (const v of ['1.0.0', '1.1.0']) {
      writeChart(join(work, 'src', v), 'lib', v, { 'templates/cm.yaml': configMapTemplate('lib', v) });
      await helm(home, ['package', join(work, 'src', v, 'lib'), '--destination', served]);
    }
    charts = await startChartRepo(served, USER, PASSWORD);
    await helm(home, ['repo', 'index', served, '--url', charts.url]);
    chartDir = writeChart(join(work, 'checkout'), 'app', '0.1.0', {}, [
      { name: 'lib', version: '^1.0.0', repository: charts.url },
    ]);
    cacheDir = join(work, 'cache');
  });
  after(async () => {
    await charts?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a restarted fetcher asks nothing within index_ttl, and renders the last answer while the repository is down', async () => {
    const first = await fetcher(60_000).fetch(chartDir, []);
    assert.deepEqual(
      first.map((d) => [d.name, d.resolved, d.cached]),
      [['lib', '1.1.0', false]],
    );
    const asked = charts.served.length;
    assert.deepEqual(charts.served, ['/charts/index.yaml', '/charts/lib-1.1.0.tgz']);

    // The restart: a new fetcher on the same directory.
    const again = await fetcher(60_000).fetch(chartDir, []);
    assert.deepEqual(
      again.map((d) => [d.resolved, d.digest, d.cached]),
      [['1.1.0', first[0]?.digest, true]],
    );
    assert.equal(charts.served.length, asked, `no request after the restart: ${charts.served.join(', ')}`);

    // Past index_ttl with the repository stopped: the last answer and the cached archive stand.
    await charts.stop();
    const warnings: string[] = [];
    const down = await fetcher(0).fetch(chartDir, warnings);
    assert.deepEqual(
      down.map((d) => [d.resolved, d.cached]),
      [['1.1.0', true]],
    );
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /; using lib 1\.1\.0 as resolved \d+ s ago$/);
    assert.ok(!warnings[0]?.includes(PASSWORD));
  });

  it('a damaged book is ignored: with the repository down there is nothing to fall back on', async () => {
    writeFileSync(join(cacheDir, 'resolved.json'), '{"x": {"at": "soon", "found": {}}, "y": 1');
    await assert.rejects(fetcher(0).fetch(chartDir, []), /index\.yaml|ECONNREFUSED|fetch failed|cannot/i);
  });
});
