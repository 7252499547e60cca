// The shipped manifests are accepted by a real API server (server-side dry run), and the
// API is bound to loopback while probes and metrics use the second listener.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../agent/config/load.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';

const dir = join(import.meta.dirname, '..', '..', 'manifests');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Doc {
  kind?: string;
  data?: Record<string, string>;
  spec?: {
    template?: {
      spec?: {
        containers?: {
          ports?: { name: string; containerPort: number }[];
          readinessProbe?: { httpGet?: { port: string } };
        }[];
      };
    };
  };
}
const docs = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Doc),
);

describe('shipped manifests', () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('are accepted by the API server in order', async () => {
    // The namespace must exist for a server-side dry run of namespaced objects.
    await plane.kubectlOk(['apply', '-f', join(dir, files[0] ?? '')]);
    for (const f of files.slice(1)) {
      await plane.kubectlOk(['apply', '--dry-run=server', '-f', join(dir, f)]);
    }
  });

  it('carry an agent config the agent accepts, with the database URI from the Secret', () => {
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    const config = parseConfig(
      cm?.data?.['config.yaml'] ?? '',
      { DRIFTGUARD_DATABASE_URI: 'mongodb://db:27017/' },
      'manifests/20-config.yaml',
    );
    assert.equal(config.server.address, '127.0.0.1');
    assert.equal(config.database.uri, 'mongodb://db:27017/');
    assert.equal(config.kubernetes.in_cluster, true);
  });

  it('keep the API on loopback and probes on the health port', () => {
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    const config = cm?.data?.['config.yaml'] ?? '';
    assert.match(config, /address: 127\.0\.0\.1/);
    assert.match(config, /health_port: 8081/);
    const agent = docs.find((d) => d.kind === 'Deployment');
    const container = agent?.spec?.template?.spec?.containers?.[0];
    assert.equal(container?.readinessProbe?.httpGet?.port, 'health');
    assert.deepEqual(
      container?.ports?.map((p) => p.containerPort),
      [8080, 8081],
    );
  });
});
