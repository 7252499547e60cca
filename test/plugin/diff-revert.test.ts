// `diff` and `revert` end to end, as processes: a real control plane, the examples applied with the
// real kubectl, the agent watching them from a Git repo, the plugin talking to the agent through
// --agent-url and writing with the test's kubeconfig. Drift is made with kubectl; what the diff
// shows, what revert writes (or refuses) and that the agent then sees the record resolve are asserted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { PLUGIN, ROOT, type RunResult } from '../kit/plugin.ts';
import { join } from 'node:path';

const WEB = 'Deployment:demo:web';
const SECRET = 'Secret:demo:db-credentials';
const OLD_SECRET = 'demo-password-change-me';
const NEW_SECRET = 'rotated-by-hand-42';
const SECRET_VALUES = [
  OLD_SECRET,
  NEW_SECRET,
  Buffer.from(OLD_SECRET).toString('base64'),
  Buffer.from(NEW_SECRET).toString('base64'),
];

let fx: Fixture;
let agent: AgentProcess;

/** The plugin as a process with `input` on its stdin (never a TTY). */
function dg(
  args: string[],
  opts: { input?: string; agent?: boolean; kubeconfig?: string } = {},
): Promise<RunResult> {
  const full = [
    ...args,
    ...(opts.agent === false ? [] : ['--agent-url', agent.apiUrl]),
    '--kubeconfig',
    opts.kubeconfig ?? fx.plane.kubeconfig,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PLUGIN, ...full], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', DRIFTGUARD_AGENT_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

async function jsonpath(kind: string, name: string, path: string): Promise<string> {
  return fx.plane.kubectlOk(['-n', 'demo', 'get', kind, name, '-o', `jsonpath={${path}}`]);
}

function assertNoSecret(text: string): void {
  for (const v of SECRET_VALUES) assert.ok(!text.includes(v), `output shows the Secret value ${v}`);
}

describe('diff and revert', () => {
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await fx.startAgent();
    await agent.waitReady(30_000);
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 30_000);
  });
  after(async () => {
    await fx?.stop();
  });

  it('an object in sync has no diff: exit 0, nothing printed', async () => {
    const r = await dg(['diff', 'deployment/web', '-n', 'demo']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const all = await dg(['diff', '--all']);
    assert.equal(all.code, 0, all.stderr);
  });

  it('shows only the drift fields, in kubectl diff form, exit 1; Secret values redacted', async () => {
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    await fx.plane.kubectlOk(['-n', 'demo', 'label', 'deployment/web', 'hand-made=yes']);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'secret/db-credentials',
      '-p',
      JSON.stringify({ stringData: { password: NEW_SECRET } }),
    ]);
    await waitForRecord(agent, WEB, (r) => r.drift_details.length === 2, 20_000);
    await waitForRecord(agent, SECRET, (r) => r.drift_status === 'active', 20_000);
    const r = await dg(['diff', 'deployment/web', '-n', 'demo']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'diff -u -N LIVE/apps.v1.Deployment.demo.web MERGED/apps.v1.Deployment.demo.web');
    assert.equal(lines[1], '--- LIVE/apps.v1.Deployment.demo.web');
    assert.equal(lines[2], '+++ MERGED/apps.v1.Deployment.demo.web');
    const changed = lines
      .filter((l) => /^[-+] /.test(l) || /^[-+]\s/.test(l))
      .filter((l) => !/^(---|\+\+\+)/.test(l));
    assert.deepEqual(changed.sort(), ['+  replicas: 2', '-    hand-made: "yes"', '-  replicas: 5'].sort());
    assert.match(
      r.stderr,
      /metadata\.labels\.hand-made/,
      'the note names the field only --prune-fields removes',
    );

    const secret = await dg(['diff', 'secret/db-credentials', '-n', 'demo']);
    assert.equal(secret.code, 1, secret.stderr);
    assert.match(secret.stdout, /^- {2}password: \(redacted\) \(before\)$/m);
    assert.match(secret.stdout, /^\+ {2}password: \(redacted\) \(after\)$/m);
    assert.match(secret.stdout, /^ {3}username: \(redacted\)$/m);
    assertNoSecret(secret.stdout + secret.stderr);

    const all = await dg(['diff', '--all']);
    assert.equal(all.code, 1);
    assert.equal((all.stdout.match(/^diff -u -N /gm) ?? []).length, 2, all.stdout);
    assertNoSecret(all.stdout + all.stderr);
  });

  it('asks before writing: anything but y leaves the object as it is (exit 1)', async () => {
    for (const input of ['n\n', '']) {
      const r = await dg(['revert', 'deployment/web', '-n', 'demo'], { input });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^- {2}replicas: 5$/m, 'the diff is shown before the question');
      assert.match(r.stderr, /Revert deployments\.apps\/web to what Git declares\? \[y\/N\]/);
      assert.equal(await jsonpath('deployment', 'web', '.spec.replicas'), '5');
    }
  });

  it('refuses when the user may not patch, and says which permission', async () => {
    // The viewer may read Deployments (and the agent's records), not patch them.
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'create',
      'role',
      'read-deploy',
      '--verb=get,list',
      '--resource=deployments',
    ]);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'create',
      'rolebinding',
      'viewer-read',
      '--role=read-deploy',
      '--user=viewer',
    ]);
    const r = await dg(['revert', 'deployment/web', '-n', 'demo', '--yes'], {
      kubeconfig: fx.plane.viewerKubeconfig,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /may not patch deployments\.apps "web" in namespace demo/);
    assert.match(r.stderr, /RBAC verb "patch"/);
    assert.equal(await jsonpath('deployment', 'web', '.spec.replicas'), '5');
  });

  it('a server dry run writes nothing; a scale drift reverts without --force-conflicts, taking over spec.replicas only', async () => {
    const dry = await dg(['revert', 'deployment/web', '-n', 'demo', '--dry-run=server', '--yes']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /reverted \(server dry run\)/);
    assert.equal(await jsonpath('deployment', 'web', '.spec.replicas'), '5');

    const r = await dg(['revert', 'deployment/web', '-n', 'demo'], { input: 'y\n' });
    assert.equal(r.code, 0, r.stderr);
    // The confirmation says what is sent and taken over; the label only --prune-fields removes is not.
    assert.match(
      r.stderr,
      /revert applies only the 1 drifted field \(spec\.replicas\) as driftguard-revert and takes it over from its current manager; every other field and its manager stay as they are/,
    );
    assert.match(
      r.stdout,
      /deployments\.apps\/web reverted: server-side apply as driftguard-revert from commit [0-9a-f]{12}/,
    );
    assert.match(r.stdout, /took over \.spec\.replicas from "kubectl" \(scale\)/);
    assert.match(r.stdout, /set in the cluster, not by Git.*metadata\.labels\.hand-made/);
    assert.equal(await jsonpath('deployment', 'web', '.spec.replicas'), '2');
    const managed = JSON.parse(await jsonpath('deployment', 'web', '.metadata.managedFields')) as {
      manager: string;
      fieldsV1: unknown;
    }[];
    assert.deepEqual(managed.find((m) => m.manager === 'driftguard-revert')?.fieldsV1, {
      'f:spec': { 'f:replicas': {} },
    });
    // The label stays (not pruned): the agent keeps the record active on that field alone.
    const rec = await waitForRecord(agent, WEB, (x) => x.drift_details.length === 1, 20_000);
    assert.equal(rec.drift_details[0]?.path, 'metadata.labels.hand-made');
  });

  it('--prune-fields removes what the cluster added, and the agent sees the record resolve', async () => {
    const r = await dg(['revert', 'deployment/web', '-n', 'demo', '--yes', '--prune-fields']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed metadata\.labels\.hand-made/);
    assert.equal(await jsonpath('deployment', 'web', '.metadata.labels.hand-made'), '');
    const rec = await waitForRecord(agent, WEB, (x) => x.drift_status === 'resolved', 20_000);
    assert.equal(rec.drift_details.length, 0);
    const again = await dg(['revert', 'deployment/web', '-n', 'demo', '--yes']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /matches Git: nothing to revert/);
  });

  it('a Secret value is never handed out by the agent; revert --local --repo puts it back', async () => {
    const r = await dg(['revert', 'secret/db-credentials', '-n', 'demo', '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /never hands out Secret values.*--local --repo/);
    const local = await dg(
      [
        'revert',
        'secret/db-credentials',
        '-n',
        'demo',
        '--yes',
        '--force-conflicts',
        '--local',
        '--repo',
        fx.repo.dir,
        '--path',
        'manifests',
      ],
      { agent: false },
    );
    assert.equal(local.code, 0, local.stderr);
    assertNoSecret(local.stdout + local.stderr);
    assert.equal(
      await jsonpath('secret', 'db-credentials', '.data.password'),
      Buffer.from(OLD_SECRET).toString('base64'),
    );
    await waitForRecord(agent, SECRET, (x) => x.drift_status === 'resolved', 20_000);
    const diff = await dg(['diff', '--local', '--repo', join(fx.repo.dir, 'manifests'), '--all'], {
      agent: false,
    });
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });
});
