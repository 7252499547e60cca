// A kubeconfig whose server answers but is not a Kubernetes API server (a web server, an ingress
// default backend: 404 for everything) must be an error, never an empty cluster in which every
// desired object is Missing. A real HTTP server on loopback plays that server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runPlugin, tempDir } from '../kit/plugin.ts';

let server: Server;
let kubeconfig: string;
const seen: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = tempDir('driftguard-not-kube-');
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: web, cluster: {server: "' + url + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: web, context: {cluster: web, user: u, namespace: demo}}]',
      'current-context: web',
      '',
    ].join('\n'),
  );
});

after(() => {
  server?.close();
});

describe('a kubeconfig pointing at a server that is not Kubernetes', () => {
  for (const args of [
    ['analyze', '--local', '--repo', join(ROOT, 'examples'), '--exit-code'],
    ['diff', '--local', '--repo', join(ROOT, 'examples'), 'deployment/web', '-n', 'demo'],
  ]) {
    it(`${args.slice(0, 2).join(' ')}: exit 2 naming the server, no object reported Missing`, async () => {
      const r = await runPlugin([...args, '--kubeconfig', kubeconfig]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /error: http:\/\/127\.0\.0\.1:\d+ is not a Kubernetes API server: GET \/api answered HTTP 404/,
      );
      assert.doesNotMatch(r.stdout + r.stderr, /Missing/);
      assert.ok(seen.includes('/api'), `the server was asked for /api: ${seen.join(', ')}`);
    });
  }
});
