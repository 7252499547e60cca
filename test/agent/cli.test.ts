// The agent's command line as a process: help, version, and a refused start (exit 2, every
// problem on stderr) for each kind of bad configuration.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runAgentOnce } from '../kit/agent-process.ts';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dg-cli-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('driftguard-agent command line', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runAgentOnce(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: driftguard-agent \[--config FILE\]/);
  });

  it('--version prints the package version', async () => {
    const r = await runAgentOnce(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^driftguard-agent \d+\.\d+\.\d+/);
  });

  const bad: {
    name: string;
    args: (f: string) => string[];
    config?: string;
    env?: Record<string, string>;
    expect: RegExp[];
  }[] = [
    { name: 'an unknown flag', args: () => ['--bogus'], expect: [/unknown argument "--bogus"/] },
    {
      name: 'a missing config file',
      args: () => ['--config', '/nonexistent/dg.yaml'],
      expect: [/\/nonexistent\/dg\.yaml: cannot read the config file \(ENOENT\)/],
    },
    {
      name: 'several wrong keys at once',
      args: (f) => ['--config', f],
      config: 'server: { port: abc, prot: 1 }\nlogging: { format: xml }\n',
      expect: [
        /server\.port: must be an integer/,
        /server\.prot: unknown key/,
        /logging\.format: must be one of json, pretty/,
        /git\.url: required/,
      ],
    },
    {
      name: 'a bad DRIFTGUARD_ override',
      args: (f) => ['--config', f],
      config: 'git: { url: /x }\n',
      env: { DRIFTGUARD_DRIFT_INTERVAL: 'often' },
      expect: [/drift\.interval: must be a duration .*\(from DRIFTGUARD_DRIFT_INTERVAL\)/],
    },
    {
      name: 'a kubeconfig that does not exist',
      args: (f) => ['--config', f],
      config: 'git: { url: /x }\nkubernetes: { kubeconfig: /nonexistent/kubeconfig }\n',
      expect: [/cannot start: .*nonexistent\/kubeconfig/],
    },
  ];
  for (const tc of bad) {
    it(`refuses to start on ${tc.name} (exit 2, message on stderr)`, async () => {
      const r = await runAgentOnce(tc.args(configFile(tc.config ?? '')), { ...tc.env });
      assert.equal(r.code, 2, r.stderr);
      for (const e of tc.expect) assert.match(r.stderr, e);
      assert.equal(r.stdout.includes('agent_started'), false);
    });
  }
});
