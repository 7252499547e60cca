// `build.sh demo` builds only what `npm run demo` needs and says how long a first run takes. The
// selection is the script's logic, so the Go toolchain is played by a recording script (a real cold
// build is what the 12 minutes are; the script's other paths run for real in every `npm test`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../kit/plugin.ts';

const dir = mkdtempSync(join(tmpdir(), 'driftguard-build-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('build.sh demo builds the Kubernetes binaries, etcd and kwok only, and says how long', () => {
  const bin = join(dir, 'bin');
  const kwokSrc = join(dir, 'kwok-src');
  for (const stage of ['node/fast', 'node/heartbeat-with-lease', 'pod/fast']) {
    mkdirSync(join(kwokSrc, 'kustomize', 'stage', stage), { recursive: true });
    writeFileSync(join(kwokSrc, 'kustomize', 'stage', stage, 'stage.yaml'), 'kind: Stage\n');
  }
  mkdirSync(join(kwokSrc, 'kustomize', 'crd', 'bases'), { recursive: true });
  writeFileSync(
    join(kwokSrc, 'kustomize', 'crd', 'bases', 'kwok.x-k8s.io_clusterportforwards.yaml'),
    'kind: CRD\n',
  );
  mkdirSync(bin);
  const log = join(dir, 'built.log');
  writeFileSync(
    join(bin, 'go'),
    [
      '#!/bin/sh',
      'case "$1" in',
      '  build) out=""; while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out=$2; shift; done',
      '         printf "#!/bin/sh\\n" > "$out"; chmod +x "$out"; echo "$out" >> "$FAKE_GO_LOG" ;;',
      '  list) echo "$FAKE_KWOK_SRC" ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'go'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    DRIFTGUARD_CACHE: join(dir, 'cache'),
    FAKE_GO_LOG: log,
    FAKE_KWOK_SRC: kwokSrc,
  };
  const run = () =>
    spawnSync('bash', [join(ROOT, 'test', 'cluster', 'build.sh'), 'demo'], { env, encoding: 'utf8' });

  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /first run: building the demo's binaries .* from source/);
  assert.match(first.stderr, /this takes about 12 minutes on 2 cores with empty Go caches/);
  const built = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((p) => basename(p, '.tmp'));
  assert.deepEqual(built.sort(), [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubectl',
    'kwok',
  ]);
  const paths = JSON.parse(readFileSync(join(dir, 'cache', 'binaries.json'), 'utf8')) as Record<
    string,
    string
  >;
  assert.ok(paths['helm']?.endsWith('/helm'), 'every path is listed; binaries() says which is missing');

  const again = run();
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /first run/);
  assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 6, 'nothing built twice');
});
