// The README's first command works: the demo runs to the end without a terminal, shows the
// drifts it made and the one it reverted as resolved, and leaves no process behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

it('npm run demo shows real drifts and a resolution', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'demo', 'demo.ts')], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, out);
  assert.match(out, /Deployment\/demo\/api\s+VersionChange\s+high/);
  assert.match(out, /Secret\/demo\/db-credentials\s+SecretChange\s+high/);
  assert.match(out, /Deployment\/demo\/web\s+resolved/);
  assert.match(out, /replicas back to 2/);
  assert.doesNotMatch(out, /changed-by-hand/, 'the Secret value never appears');
});
