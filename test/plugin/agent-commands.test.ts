// The agent-backed commands end to end, as processes, against the real agent (test/agent's
// fixture: a real control plane, a Git repo with the examples, the agent process watching both).
// Drift is made with the real kubectl; the plugin talks to the agent through --agent-url.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { DriftRecord, DriftRecordList } from '../../shared/types.ts';
import { startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { binaries } from '../cluster/binaries.ts';
import { execFile } from 'node:child_process';
import { COMPLETE, parseJson, PLUGIN, runBin, runPlugin, tempDir } from '../kit/plugin.ts';

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

function dg(args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof runPlugin> {
  return runPlugin([...args, '--agent-url', agent.apiUrl], { env });
}

function assertNoSecret(text: string): void {
  for (const v of SECRET_VALUES) assert.ok(!text.includes(v), `output shows the Secret value ${v}`);
}

describe('agent-backed commands', () => {
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await fx.startAgent();
    await agent.waitReady(30_000);
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 30_000);
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'secret/db-credentials',
      '-p',
      JSON.stringify({ stringData: { password: NEW_SECRET } }),
    ]);
    await waitForRecord(agent, WEB, (r) => r.drift_status === 'active', 20_000);
    await waitForRecord(agent, SECRET, (r) => r.drift_status === 'active', 20_000);
  });
  after(async () => {
    await fx?.stop();
  });

  it('ignore proposes the narrowest rule from the diff, for the config and the Git annotation', async () => {
    const r = await dg(['ignore', 'deployment/web', '-n', 'demo', '--field', 'spec.replicas']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Proposed rule \(the narrowest: this object, this field\):\n {2}kind: Deployment\.apps\n/,
    );
    assert.match(
      r.stdout,
      /It would ignore now 1 drifted field:\n {2}Deployment:demo:web {2}spec\.replicas {2}\d+ → 5\n/,
    );
    assert.match(
      r.stdout,
      /drift\.rules\.ignore\):\n {2}- kind: Deployment\.apps\n {4}namespace: demo\n {4}name: web\n {4}path: spec\.replicas\n/,
    );
    assert.match(r.stdout, /driftguard\.io\/ignore-fields: "spec\.replicas"\n$/);
    const json = parseJson(await dg(['ignore', WEB, '--field', 'spec.replicas', '-o', 'json'])) as {
      rule: Record<string, string>;
      matches: { resource_id: string; path: string }[];
    };
    assert.deepEqual(json.rule, {
      kind: 'Deployment.apps',
      namespace: 'demo',
      name: 'web',
      path: 'spec.replicas',
    });
    assert.deepEqual(
      json.matches.map((m) => m.path),
      ['spec.replicas'],
    );
    const bad = await dg(['ignore', WEB, '--field', 'spec.containers[0]']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--field: a list index/);
  });

  it('status: a summary line, then the active drifts', async () => {
    const r = await dg(['status']);
    assert.equal(r.code, 0, r.stderr);
    const [summary, blank, header, ...rows] = r.stdout.trimEnd().split('\n');
    assert.match(
      summary ?? '',
      /^\d+ resources tracked, 2 active drifts \(1 high, 1 medium, 0 low\), last analysis \d+[smh] ago, commit [0-9a-f]{7}$/,
    );
    assert.equal(blank, '');
    assert.match(header ?? '', /^RESOURCE\s+TYPE\s+SEVERITY\s+AGE\s+CHANGED-BY\s+DETAIL$/);
    assert.deepEqual(
      rows.map((l) => l.split(/\s{3,}/).slice(0, 5)).sort(),
      [
        ['Deployment/demo/web', 'Scaling', 'medium', rows[0]?.split(/\s{3,}/)[3] ?? '', 'kubectl-scale'],
        [
          'Secret/demo/db-credentials',
          'SecretChange',
          'high',
          rows[1]?.split(/\s{3,}/)[3] ?? '',
          'kubectl-patch',
        ],
      ].sort(),
    );
    assert.match(r.stdout, /replicas 2 → 5/);
    assertNoSecret(r.stdout);
  });

  it("status -o json prints the API's active records unchanged; filters apply", async () => {
    const r = await dg(['status', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const printed = parseJson<DriftRecordList>(r);
    const api = (await (
      await fetch(`${agent.apiUrl}/api/v1/drift-records/active?limit=1000`)
    ).json()) as DriftRecordList;
    assert.deepEqual(printed.drift_records, api.drift_records);
    assert.equal(printed.count, 2);
    assertNoSecret(r.stdout);

    const high = parseJson<DriftRecordList>(await dg(['status', '--severity', 'high', '-o', 'json']));
    assert.deepEqual(
      high.drift_records.map((d) => d.resource_id),
      [SECRET],
    );
    // A namespace the agent does not track is an error, not an empty list.
    const other = await dg(['status', '-n', 'kube-system', '-o', 'json']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /namespace kube-system is not tracked \(0 resources\)/);
    const yaml = parseYaml((await dg(['status', '-o', 'yaml'])).stdout) as DriftRecordList;
    assert.deepEqual(yaml.drift_records.map((d) => d.resource_id).sort(), [SECRET, WEB].sort());
  });

  it('get: lists records with their status, or shows one by id or KIND/NAME', async () => {
    const all = await dg(['get']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^RESOURCE\s+STATUS\s+TYPE\s+SEVERITY\s+AGE\s+CHANGED-BY\s+DETAIL\n/);
    assert.match(all.stdout, /\nDeployment\/demo\/web\s+active\s+Scaling\s+medium\s/);
    assert.match(all.stdout, /\nConfigMap\/demo\/app-config\s+none\s+-\s/);
    const active = parseJson<DriftRecordList>(await dg(['get', '--active', '-o', 'json']));
    assert.deepEqual(active.drift_records.map((d) => d.resource_id).sort(), [SECRET, WEB].sort());
    const resolved = parseJson<DriftRecordList>(await dg(['get', '--resolved', '-o', 'json']));
    assert.equal(resolved.count, 0);
    const one = parseJson<DriftRecord>(await dg(['get', WEB, '-o', 'json']));
    assert.equal(one.resource_id, WEB);
    assert.equal(one.drift_type, 'Scaling');
    const byName = await dg(['get', 'deploy/web', '-n', 'demo', '-o', 'wide']);
    assert.match(
      byName.stdout,
      /^NAMESPACE\s+RESOURCE\s+STATUS\s+TYPE\s+SEVERITY\s+AGE\s+CHANGED-BY\s+SOURCE\s+PATHS\s+DETAIL\ndemo\s+Deployment\/web\s+active\s+Scaling\s+medium\s+\S+\s+kubectl-scale\s+manifests\/web\.yaml\s+spec\.replicas\s/,
    );
    const missing = await dg(['get', 'deploy/nope', '-n', 'demo']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'error: no drift record for deploy/nope in namespace demo\n');
  });

  it('describe: header, a desired-vs-live diff per field, and the history', async () => {
    const r = await dg(['describe', 'deployment/web', '-n', 'demo']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Name:\s+web\nNamespace:\s+demo\nKind:\s+Deployment \(apps\/v1\)\nResource ID:\s+Deployment:demo:web\nStatus:\s+active\nDrift Type:\s+Scaling\nSeverity:\s+medium\n/,
    );
    assert.match(
      r.stdout,
      /\nChanges \(1\):\n {2}spec\.replicas {2}Scaling {2}medium {2}by kubectl-scale(, \S+ \(\d+[sm] ago\))?\n {4}- desired: 2\n {4}\+ live: {4}5\n/,
    );
    assert.match(
      r.stdout,
      /\nHistory \(1\):\n {2}AGE\s+EVENT\s+STATUS\s+TYPE\s+SEVERITY\s+MESSAGE\n {2}\S+\s+detected\s+none -> active\s+Scaling\s+medium\s/,
    );
    const secret = await dg(['describe', SECRET]);
    assert.equal(secret.code, 0, secret.stderr);
    assert.match(secret.stdout, /- desired: \(redacted\)\n\s+\+ live: {4}\(redacted\)\n/);
    assertNoSecret(secret.stdout);
    const json = parseJson<{ record: DriftRecord; history: unknown[] }>(
      await dg(['describe', SECRET, '-o', 'json']),
    );
    assert.equal(json.record.resource_id, SECRET);
    assertNoSecret(JSON.stringify(json));
  });

  it('describe colours the diff only on request of a terminal: never when NO_COLOR is set or piped', async () => {
    const r = await dg(['describe', WEB]);
    assert.ok(!r.stdout.includes('\u001b['), 'no escape codes in piped output');
  });

  it('analyze: runs an analysis, shows progress on stderr, the active drifts on stdout; --exit-code', async () => {
    const r = await dg(['analyze', '--exit-code']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^analysis \S+ running…\nanalysis \S+ completed in [\d.]+s: \d+ resources, 2 drifted \(0 new, 0 resolved\)\n$/,
    );
    assert.match(r.stdout, /^RESOURCE\s+TYPE\s+SEVERITY\s+AGE\s+CHANGED-BY\s+DETAIL\n/);
    const json = await dg(['analyze', '-o', 'json']);
    assert.equal(json.code, 0);
    assert.equal(parseJson<DriftRecordList>(json).count, 2);
    const started = parseJson<{ analysis_id: string; status: string }>(
      await dg(['analyze', '--no-wait', '-o', 'json']),
    );
    assert.match(started.analysis_id, /\S/);
  });

  it("version: the plugin's and the agent's; a note, not a failure, when the agent is away", async () => {
    const r = await dg(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Plugin Version: 0\.1\.0\nAgent Version: \S+/);
    const json = parseJson<{ plugin: { version: string }; agent: { version: string } | null }>(
      await dg(['version', '-o', 'json']),
    );
    assert.equal(json.plugin.version, '0.1.0');
    assert.ok(json.agent?.version);
    const away = await runPlugin(['version', '--agent-url', 'http://127.0.0.1:9']);
    assert.equal(away.code, 0);
    assert.equal(away.stdout, 'Plugin Version: 0.1.0\n');
    assert.match(
      away.stderr,
      /^note: agent version unknown: agent unreachable at http:\/\/127\.0\.0\.1:9: .*\n$/,
    );
  });

  it('an unreachable agent is one line and exit 2 for every agent-backed command', async () => {
    for (const args of [['status'], ['get'], ['describe', WEB], ['analyze']]) {
      const r = await runPlugin([...args, '--agent-url', 'http://127.0.0.1:9'], { timeoutMs: 30_000 });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(
        r.stderr,
        /^error: agent unreachable at http:\/\/127\.0\.0\.1:9: [^\n]+\(is the agent running\? pass --agent-url or check the agent pod\)\n$/,
      );
      assert.equal(r.stdout, '');
    }
    const env = await runPlugin(['status', '-o', 'json'], { env: { DRIFTGUARD_AGENT_URL: agent.apiUrl } });
    assert.equal(env.code, 0, 'DRIFTGUARD_AGENT_URL is honoured');
  });

  it('completion lists resource ids from the agent, through the real kubectl', async () => {
    const direct = await runBin(COMPLETE, ['describe', 'Deployment:'], {
      env: { DRIFTGUARD_AGENT_URL: agent.apiUrl },
    });
    assert.equal(direct.code, 0);
    assert.ok(direct.stdout.split('\n').includes(WEB), direct.stdout);
    assert.match(direct.stdout, /\n:4\n$/);
    // kubectl finds kubectl-driftguard and kubectl_complete-driftguard on PATH.
    const bin = tempDir('driftguard-path-');
    for (const [name, target] of [
      ['kubectl-driftguard', PLUGIN],
      ['kubectl_complete-driftguard', COMPLETE],
    ] as const) {
      writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
      chmodSync(join(bin, name), 0o755);
    }
    // No --kubeconfig: kubectl refuses global flags before a plugin's name; KUBECONFIG instead.
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      KUBECONFIG: fx.plane.kubeconfig,
      DRIFTGUARD_AGENT_URL: agent.apiUrl,
      NO_COLOR: '1',
    };
    const kubectl = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        execFile(binaries().kubectl, args, { env, timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? -1) : 0, stdout, stderr }),
        );
      });
    const cmds = await kubectl(['__complete', 'driftguard', '']);
    assert.deepEqual(
      cmds.stdout
        .split('\n')
        .map((l) => l.split('\t')[0])
        .filter(Boolean),
      [
        'status',
        'analyze',
        'get',
        'describe',
        'diff',
        'revert',
        'adopt',
        'preview',
        'waive',
        'unwaive',
        'waivers',
        'ignore',
        'version',
        'ui',
        'completion',
        ':4',
      ],
    );
    const ids = await kubectl(['__complete', 'driftguard', 'get', 'Secret:']);
    assert.ok(ids.stdout.split('\n').includes(SECRET), ids.stdout);
    // Names as get prints them, kind/name with -n, and namespaces after -n.
    const printed = await kubectl(['__complete', 'driftguard', 'get', 'Deploy']);
    assert.ok(printed.stdout.split('\n').includes('Deployment/demo/web'), printed.stdout);
    const short = await kubectl(['__complete', 'driftguard', 'diff', '-n', 'demo', 'deploy']);
    assert.ok(short.stdout.split('\n').includes('deployment/web'), short.stdout);
    const namespaces = await kubectl(['__complete', 'driftguard', 'status', '-n', '']);
    assert.ok(namespaces.stdout.split('\n').includes('demo'), namespaces.stdout);
    const viaPlugin = await kubectl(['driftguard', 'status', '-o', 'json']);
    assert.equal(viaPlugin.code, 0, viaPlugin.stderr);
    assert.equal((JSON.parse(viaPlugin.stdout) as DriftRecordList).count, 2);
  });

  it('one name format: what get prints, kubectl spellings and the API id all name the record; a kind typo gets a hint', async () => {
    for (const args of [
      ['get', 'Deployment/demo/web'],
      ['get', 'deploy/web', '-n', 'demo'],
      ['get', 'deployment.apps/web', '-n', 'demo'],
      ['get', 'Deployment:demo:web'],
      ['describe', 'Deployment/demo/web'],
    ]) {
      const r = await dg(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /web/);
    }
    const typo = await dg(['get', 'deplyment/web', '-n', 'demo']);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /no drift record for deplyment\/web in namespace demo \(no record has kind deplyment; did you mean Deployment\?\)/,
    );
    const clash = await dg(['get', 'Deployment/demo/web', '-n', 'other']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /names namespace demo, but -n says other/);
  });

  it('status and analyze -n NS for a namespace the agent does not track: exit 2, never "No active drift"', async () => {
    for (const cmd of [['status'], ['analyze', '--exit-code'], ['status', '-o', 'json']]) {
      const r = await dg([...cmd, '-n', 'demo-typo']);
      assert.equal(r.code, 2, `${cmd.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^error: namespace demo-typo is not tracked \(0 resources\)/);
      assert.equal(r.stdout, '');
    }
    // A tracked namespace still answers (with its drifts or none).
    const tracked = await dg(['status', '-n', 'demo']);
    assert.equal(tracked.code, 0, tracked.stderr);
  });

  it('analyze --exit-code is 0 once the drift is undone', async () => {
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=2']);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'secret/db-credentials',
      '-p',
      JSON.stringify({ stringData: { password: OLD_SECRET } }),
    ]);
    await waitForRecord(agent, WEB, (r) => r.drift_status === 'resolved', 20_000);
    await waitForRecord(agent, SECRET, (r) => r.drift_status === 'resolved', 20_000);
    const r = await dg(['analyze', '--exit-code']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'No active drift\n');
    const resolved = await dg(['get', '--resolved']);
    // The resolved record keeps the type and severity of the episode it closed, and a real AGE.
    assert.match(
      resolved.stdout,
      /\nDeployment\/demo\/web\s+resolved\s+Scaling\s+medium\s+\d+[smh]\s+-\s+replicas back to 2/,
    );
    // In-sync records have an AGE too (since last compared), never <unknown>.
    const all = await dg(['get', '-n', 'demo']);
    assert.doesNotMatch(all.stdout, /<unknown>/);
    assert.match(all.stdout, /\nConfigMap\/demo\/\S+\s+none\s+-\s+-\s+\d+[smh]\s/);
    // -o name prints what every command accepts back; -o wide does not repeat the namespace.
    const names = await dg(['get', '-n', 'demo', '-o', 'name']);
    assert.equal(names.code, 0, names.stderr);
    assert.match(names.stdout, /^Deployment\/demo\/web$/m);
    const back = await dg([
      'get',
      names.stdout.split('\n').find((l) => l.startsWith('Deployment/demo/web')) ?? '',
    ]);
    assert.equal(back.code, 0, back.stderr);
    const wide = await dg(['get', '-n', 'demo', '-o', 'wide']);
    assert.match(wide.stdout, /^demo\s+Deployment\/web\s/m);
    assert.doesNotMatch(wide.stdout, /Deployment\/demo\/web/);
  });
});
