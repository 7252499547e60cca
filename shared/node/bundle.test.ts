// The bundles' stand-in for client-node's index (clientNodeSubset): a bundle gets the classes it
// names and they work (a kubeconfig read, the port-forward class constructed), the generated API
// (every model and API class) is in the bundle only with PortForward, and it is not evaluated at
// start even then: a bundle run with a CPU profile evaluates none of its models.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundle, clientNodeSubset } from './bundle.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe('client-node subset in the bundles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bundle-subset-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function built(name: string, entry: string, classes: Parameters<typeof clientNodeSubset>[0]) {
    const src = join(dir, `${name}.ts`);
    writeFileSync(src, entry);
    const out = join(dir, `${name}.mjs`);
    await bundle(ROOT, src, out, { plugins: [clientNodeSubset(classes)], keepNames: true });
    return { out, text: readFileSync(out, 'utf8') };
  }

  it('KubeConfig works without the generated API in the bundle', async () => {
    const { out, text } = await built(
      'kubeconfig',
      `import { KubeConfig } from '@kubernetes/client-node';
const kc = new KubeConfig();
kc.loadFromString(${JSON.stringify(KUBECONFIG)});
console.log(kc.getCurrentCluster()?.server);`,
      ['KubeConfig'],
    );
    assert.equal(
      execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim(),
      'https://127.0.0.1:6443',
    );
    assert.equal(text.includes('V1DeploymentSpec'), false, 'no generated model in the bundle');
  });

  it('PortForward is read from its own file when first used, not at start', async () => {
    const { out, text } = await built(
      'portforward',
      `import { KubeConfig, PortForward } from '@kubernetes/client-node';
const kc = new KubeConfig();
kc.loadFromString(${JSON.stringify(KUBECONFIG)});
if (process.argv[2] === 'use') console.log(typeof new PortForward(kc).portForward);
else console.log('unused');`,
      ['KubeConfig', 'PortForward'],
    );
    assert.ok(text.includes('V1DeploymentSpec'), 'PortForward brings the generated API along');
    assert.equal(execFileSync(process.execPath, [out, 'use'], { encoding: 'utf8' }).trim(), 'function');
    // Unused: the models are never evaluated (a model's class would appear in the profile's nodes).
    const prof = join(dir, 'prof');
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, '--cpu-prof-interval=50', out]);
    const used = join(dir, 'prof-used');
    execFileSync(process.execPath, [
      '--cpu-prof',
      `--cpu-prof-dir=${used}`,
      '--cpu-prof-interval=50',
      out,
      'use',
    ]);
    const functions = (d: string) => {
      const file = readdirSync(d)[0] ?? '';
      const p = JSON.parse(readFileSync(join(d, file), 'utf8')) as {
        nodes: { callFrame: { functionName: string } }[];
      };
      return new Set(p.nodes.map((n) => n.callFrame.functionName));
    };
    const initsOf = (names: Set<string>) => [...names].filter((n) => n.includes('gen/models/all.js'));
    assert.deepEqual(initsOf(functions(prof)), [], 'the generated models were evaluated at start');
    assert.ok(
      initsOf(functions(used)).length > 0,
      'the profile names module inits (else the check above proves nothing)',
    );
  });
});
