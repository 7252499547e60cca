// Bad input that is not HTTP: agent configs with invalid keys and values (the real agent process
// must refuse to start and name every bad path), and hostile manifest files in Git (the agent's
// per-file desired state must give each a clear error naming the file and keep analysing the rest).
// A local process: a refused config is the process's exit code and output (the image runs the
// same bundle; a pod would only add CrashLoopBackOff around it).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DesiredState } from '../../agent/git/desired-state.ts';
import { parseManifests } from '../../shared/engine/index.ts';
import { runAgentOnce } from '../kit/agent-process.ts';
import { faultCase } from './recorder.ts';

describe('bad config', () => {
  it('every invalid key or value is reported with its path and the agent refuses to start', async (t) => {
    await faultCase(t, 'config: invalid keys and values refused', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'driftguard-badconfig-'));
      try {
        const cases: { yaml: string; paths: string[] }[] = [
          { yaml: 'git: { url: /srv/x }\nserver: { prot: 80 }\n', paths: ['server.prot'] },
          { yaml: 'git: { url: /srv/x }\nserver: { port: "abc" }\n', paths: ['server.port'] },
          { yaml: 'git: { url: /srv/x }\nserver: { port: 70000 }\n', paths: ['server.port'] },
          { yaml: 'git: { url: /srv/x }\ndrift: { interval: 5 parsecs }\n', paths: ['drift.interval'] },
          { yaml: 'git: { url: /srv/x }\nunknown_section: { a: 1 }\n', paths: ['unknown_section'] },
          { yaml: 'git: { url: /srv/x }\nlogging: { level: loud }\n', paths: ['logging.level'] },
          { yaml: 'git: { url: /srv/x }\nkubernetes: { namespaces: 7 }\n', paths: ['kubernetes.namespaces'] },
          {
            yaml: 'git: { url: /srv/x, brnch: x }\nserver: { port: -1 }\ndrift: { periodic: maybe }\n',
            paths: ['git.brnch', 'server.port', 'drift.periodic'],
          },
        ];
        const missed: string[] = [];
        for (const [i, c] of cases.entries()) {
          const file = join(dir, `c${i}.yaml`);
          writeFileSync(file, c.yaml);
          // A generous bound: on a starved machine the agent's start alone can take half a minute.
          const r = await runAgentOnce(['--config', file], {}, 120_000);
          if (r.code === 0 || r.code === null) missed.push(`${c.yaml.trim()}: started (exit ${r.code})`);
          const out = r.stderr + r.stdout;
          for (const p of c.paths)
            if (!out.includes(p)) missed.push(`${c.yaml.trim()}: no '${p}' in: ${out.slice(0, 300)}`);
        }
        assert.deepEqual(missed, []);
        return { note: `${cases.length} configs refused, each naming its path(s)` };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('bad manifests in Git', () => {
  it('alias bombs, deep nesting, binary and non-UTF-8 files, duplicate keys: an error per file, the rest analysed', async (t) => {
    await faultCase(t, 'manifests: hostile files, rest analysed', async () => {
      const good =
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: good, namespace: app }\ndata: { a: b }\n';
      const bomb = [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        ...'bcdefghij'
          .split('')
          .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`),
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: { name: bomb, namespace: app }',
      ].join('\n');
      const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: deep, namespace: app }\ndata: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
      const binary = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
      const latin1 = Buffer.from(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: latin, namespace: app }\ndata: { a: "caf\xe9" }\n',
        'latin1',
      );
      const dupKeys =
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: dup, namespace: app }\ndata: { a: 1 }\ndata: { a: 2 }\n';
      const unknownKind =
        'apiVersion: example.com/v1\nkind: NotInThisCluster\nmetadata: { name: x, namespace: app }\nspec: {}\n';
      const files = [
        { path: 'good.yaml', content: good },
        { path: 'bomb.yaml', content: bomb },
        { path: 'deep.yaml', content: deep },
        { path: 'binary.yaml', content: binary },
        { path: 'latin1.yaml', content: latin1 },
        { path: 'dup.yaml', content: dupKeys },
        { path: 'unknown-kind.yaml', content: unknownKind },
      ];
      const state = new DesiredState('default');
      const started = performance.now();
      const out = state.apply('c1', files, []);
      const ms = performance.now() - started;
      // What is not an error is a per-file warning of the same parse (what the agent and
      // `analyze --local` apply): binary content is "not Kubernetes objects", a duplicate key is
      // accepted the way kubectl's go-yaml reads it (the last value wins) and said so.
      const warnings = new Map(
        parseManifests(files, { defaultNamespace: 'default' }).warnings.map((w) => [w.file, w.message]),
      );
      assert.ok(state.get('ConfigMap:app:good'), 'the good file is analysed');
      const failing = new Map(out.errors.map((e) => [e.file, e.message]));
      const mustFail = ['bomb.yaml', 'deep.yaml'];
      assert.deepEqual(
        mustFail.filter((f) => !failing.has(f)),
        [],
        `errors: ${JSON.stringify([...failing])}`,
      );
      assert.match(
        warnings.get('binary.yaml') ?? failing.get('binary.yaml') ?? '',
        /not Kubernetes objects|UTF|binary/,
      );
      assert.match(warnings.get('dup.yaml') ?? failing.get('dup.yaml') ?? '', /duplicate key/);
      // Latin-1 bytes: refused as not UTF-8, or read with the replacement character — never a crash.
      const latin =
        failing.get('latin1.yaml') ??
        `parsed (${state.get('ConfigMap:app:latin') ? 'object kept' : 'no object'})`;
      // A kind the cluster lacks parses; the agent reports it at readiness (discovery) and as Missing.
      const unknown = failing.get('unknown-kind.yaml') ?? 'parsed (reported by discovery, not the parser)';
      return {
        note: `${out.errors.length} errors + ${warnings.size} warnings per file in ${ms.toFixed(0)} ms; latin1: ${latin.slice(0, 40)}; unknown kind: ${unknown.slice(0, 50)}`,
      };
    });
  });
});
