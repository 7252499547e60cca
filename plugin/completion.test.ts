import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completions, DIRECTIVE, type CompletionSources } from './completion.ts';
import type { GlobalFlags } from './cli/options.ts';

function sources(seen: Partial<GlobalFlags>[]): CompletionSources {
  return {
    resourceIds: async (flags) => {
      seen.push(flags);
      return ['Deployment:shop:web', 'Secret:shop:creds'];
    },
    contexts: async () => ['local'],
    waiverIds: async () => ['3f2a9c1e-aaaa\tDeployment/shop/web spec.replicas: load test'],
  };
}

describe('completion', () => {
  it('completes resource ids for get, asking the agent the flags name', async () => {
    const seen: Partial<GlobalFlags>[] = [];
    const c = await completions(['get', '--agent-url=http://127.0.0.1:8080/?a=b', 'Secret:'], sources(seen));
    assert.deepEqual(c, { candidates: ['Secret:shop:creds'], directive: DIRECTIVE.noFileComp });
    assert.equal(seen[0]?.agentUrl, 'http://127.0.0.1:8080/?a=b');
  });

  it('reads a flag value given as the next word', async () => {
    const seen: Partial<GlobalFlags>[] = [];
    await completions(['describe', '--agent-namespace', 'ops', ''], sources(seen));
    assert.equal(seen[0]?.agentNamespace, 'ops');
  });

  it('offers namespaces after -n, and names as get prints them (kind/name with -n)', async () => {
    const seen: Partial<GlobalFlags>[] = [];
    assert.deepEqual((await completions(['status', '-n', ''], sources(seen))).candidates, ['shop']);
    assert.deepEqual((await completions(['get', '--namespace', 's'], sources(seen))).candidates, ['shop']);
    assert.deepEqual((await completions(['get', ''], sources(seen))).candidates, [
      'Deployment/shop/web',
      'Secret/shop/creds',
    ]);
    assert.deepEqual((await completions(['diff', '-n', 'shop', 'dep'], sources(seen))).candidates, [
      'deployment/web',
    ]);
  });

  it('completes waive with resources, its flags, and unwaive with the waivers in force', async () => {
    const seen: Partial<GlobalFlags>[] = [];
    assert.deepEqual((await completions(['waive', '-n', 'shop', 'dep'], sources(seen))).candidates, [
      'deployment/web',
    ]);
    const flags = (await completions(['waive', 'deploy/web', '--f'], sources(seen))).candidates;
    assert.deepEqual(
      flags.map((f) => f.split('\t')[0]),
      ['--field', '--for'],
    );
    assert.deepEqual((await completions(['unwaive', '3f'], sources(seen))).candidates, [
      '3f2a9c1e-aaaa\tDeployment/shop/web spec.replicas: load test',
    ]);
    assert.deepEqual(
      (await completions(['wai'], sources(seen))).candidates.map((c) => c.split('\t')[0]),
      ['waive', 'waivers'],
    );
  });
});
