// The README's first command works: the demo runs to the end without a terminal, shows the
// drifts it made and the one it reverted as resolved, and leaves no process behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { agentPodSkipReason } from '../kit/agent-pod.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where this machine can run a real node with the image built, the demo must run the image there. */
const noPod = agentPodSkipReason();

/** Processes whose command line names `dir` (a kubelet, containerd or shim the demo left running). */
function processesUnder(dir: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return cmd.includes(dir) ? [`${p}: ${cmd}`] : [];
      } catch {
        return []; // exited meanwhile
      }
    });
}

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
  if (noPod) assert.match(out, /no real node here .*: the agent runs as a local process/);
  else assert.match(out, /the agent's image on real node driftguard-node-0: pod Ready/);
  assert.match(out, /Deployment\/demo\/api\s+VersionChange\s+high/);
  assert.match(out, /Secret\/demo\/db-credentials\s+SecretChange\s+high/);
  assert.match(out, /Deployment\/demo\/web\s+resolved/);
  assert.match(out, /replicas back to 2/);
  assert.doesNotMatch(out, /changed-by-hand/, 'the Secret value never appears');
});

it('Ctrl-C stops everything the demo started and removes its temp files', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'demo', 'demo.ts')], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const interrupted = new Promise<void>((resolve) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      // Interrupt once the agent is up and the drifts are being made.
      if (out.includes('Making real drifts')) {
        child.stdout.off('data', onData);
        child.kill('SIGINT');
        resolve();
      }
    };
    child.stdout.on('data', onData);
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await Promise.race([interrupted, exited]);
  assert.equal(await exited, 130, out);
  const planeDir = /kubeconfig (\S+)\/kubeconfig/.exec(out)?.[1];
  const agentUrl = /agent API (http:\/\/\S+)/.exec(out)?.[1];
  const gitDir = /apply -f (\S+)\/manifests\/namespace\.yaml/.exec(out)?.[1];
  assert.ok(planeDir && agentUrl && gitDir, out);
  assert.equal(existsSync(planeDir), false, 'control plane data removed');
  assert.deepEqual(processesUnder(planeDir), [], 'no kubelet, containerd or shim left');
  assert.equal(existsSync(gitDir), false, 'Git repository removed');
  await assert.rejects(fetch(`${agentUrl}/api/v1/version`), 'agent stopped');
  const server = /API server (https:\/\/\S+);/.exec(out)?.[1];
  await assert.rejects(fetch(`${server}/readyz`), 'kube-apiserver stopped');
});
