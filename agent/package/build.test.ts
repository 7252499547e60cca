// The agent bundle as the image runs it: built by agent/package/build.ts, copied with package.json
// alone into an empty directory (no node_modules, no TypeScript loader: everything it needs must be
// inside), run with plain node against the real local cluster. Fails when the bundle cannot start,
// misses a module, or analyses differently from the tsx-run agent (every example in sync).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allRecords, startFixture, type Fixture } from '../../test/kit/agent-fixture.ts';
import { AGENT_BUNDLE, buildAgent, ROOT } from './build.ts';

describe('agent bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bundle-'));
  const bin = join(dir, 'dist', 'driftguard-agent.mjs');
  let fx: Fixture | undefined;
  before(async () => {
    await buildAgent();
    mkdirSync(join(dir, 'dist'));
    copyFileSync(AGENT_BUNDLE, bin);
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  });
  after(async () => {
    await fx?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the package version with plain node, outside the repository', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    const out = execFileSync(process.execPath, [bin, '--version'], { cwd: dir, encoding: 'utf8' });
    assert.equal(out, `driftguard-agent ${version}\n`);
  });

  it('runs against a real cluster: ready, one full analysis, every example in sync', async () => {
    fx = await startFixture();
    await fx.applyAll();
    const agent = await fx.startAgent({ bin });
    await agent.waitReady(60_000);
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 60_000);
    const health = await fetch(`${agent.healthUrl}/health`);
    assert.equal(health.status, 200);
    const records = await allRecords(agent);
    assert.ok(records.length > 0);
    assert.deepEqual(
      records.filter((r) => r.drift_status !== 'none').map((r) => r.resource_id),
      [],
    );
  });
});
