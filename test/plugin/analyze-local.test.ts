// `kubectl-driftguard analyze --local` end to end, as a process, against a real control plane:
// zero drift for objects created three ways, each drift type made by a real kubectl command,
// Secret values never printed, malformed manifests reported while the rest is analysed, and the
// repository given as a plain directory, a Git work tree, or a file:// URL with --branch.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { analyzeLocal as analyzeInProcess, type LocalAnalysis } from '../../plugin/local/analyze-local.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { copyRepo, parseJson, ROOT, runPlugin, tempDir, type JsonReport } from '../kit/plugin.ts';
import { crd } from '../kit/crd.ts';
import { MUTATIONS, mutationName, runStep } from '../kit/mutations.ts';

const EXAMPLES = join(ROOT, 'examples');
const SHOP = join(ROOT, 'test', 'plugin', 'fixtures', 'shop');
const EXAMPLE_FILES = ['api', 'config', 'frontend', 'secrets', 'web'].map((f) => join(EXAMPLES, `${f}.yaml`));

let plane: Cluster;
let nsCounter = 0;

async function shopRepo(): Promise<{ ns: string; repo: string }> {
  const ns = `drift-${++nsCounter}`;
  const repo = copyRepo(SHOP, 'shop', ns);
  await plane.kubectlOk(['apply', '-f', join(repo, 'namespace.yaml')]);
  await plane.kubectlOk(['apply', '-f', repo]);
  return { ns, repo };
}

function analyze(repo: string, extra: string[] = []): ReturnType<typeof runPlugin> {
  return runPlugin(['analyze', '--local', '--repo', repo, '--kubeconfig', plane.kubeconfig, ...extra]);
}

/** An analysis without what differs between two runs of the same one (the time taken). */
function comparable(a: LocalAnalysis): unknown {
  return JSON.parse(JSON.stringify(a, (k, v: unknown) => (k === 'durationMs' ? undefined : v)));
}

function drifted(r: JsonReport<DriftResult>): DriftResult[] {
  return r.drift_records.filter((d) => d.drift_detected);
}

describe('analyze --local', () => {
  before(async () => {
    plane = await startCluster();
  });
  after(async () => {
    await plane?.stop();
  });

  describe('no drift right after creating the examples', () => {
    before(async () => {
      await plane.kubectlOk(['apply', '-f', join(EXAMPLES, 'namespace.yaml')]);
    });
    const deleteExamples = async (): Promise<void> => {
      for (const f of EXAMPLE_FILES)
        await plane.kubectlOk(['delete', '--wait=false', '--ignore-not-found', '-f', f]);
    };
    for (const [how, args] of [
      ['kubectl apply', ['apply', '-f', EXAMPLES]],
      ['kubectl apply --server-side', ['apply', '--server-side', '-f', EXAMPLES]],
      ['kubectl create', EXAMPLE_FILES.flatMap((f) => ['-f', f])],
    ] as const) {
      it(`objects made by ${how}`, async () => {
        await deleteExamples();
        if (how === 'kubectl create') await plane.kubectlOk(['create', ...args]);
        else await plane.kubectlOk([...args]);
        const table = await analyze(EXAMPLES, ['--exit-code']);
        assert.equal(table.code, 0, table.stderr);
        assert.match(table.stdout, /^No drift: \d+ resources in sync\n$/);
        const json = parseJson<JsonReport<DriftResult>>(await analyze(EXAMPLES, ['-o', 'json']));
        assert.ok(json.count >= 10, `only ${json.count} objects analysed`);
        assert.equal(json.count, json.drift_records.length);
        assert.deepEqual(
          drifted(json).map((d) => d.resource_id),
          [],
        );
        assert.deepEqual(Object.keys(json), ['drift_records', 'count']);
      });
    }
  });

  describe('each drift type, made by a real kubectl command (test/kit/mutations.ts)', () => {
    // The examples in their namespace; each mutation is put back before the next one.
    const ns = 'demo';
    const kubectl = (args: string[], opts?: { input?: string }): Promise<string> =>
      plane.kubectlOk(args, opts);
    before(async () => {
      await plane.kubectlOk(['apply', '-f', join(EXAMPLES, 'namespace.yaml')]);
      await plane.kubectlOk(['apply', '-f', EXAMPLES]);
    });
    for (const c of MUTATIONS) {
      it(`${mutationName(c)} (${c.severity})`, async () => {
        const clean = await analyze(EXAMPLES, ['-n', ns, '-o', 'json', '--exit-code']);
        assert.equal(clean.code, 0, `before the change: ${clean.stdout}${clean.stderr}`);
        const total = parseJson<JsonReport<DriftResult>>(clean).count;
        await runStep(kubectl, ns, c.drift);
        const res = await analyze(EXAMPLES, ['-n', ns, '-o', 'json', '--exit-code']);
        assert.equal(res.code, 1, res.stderr);
        const rows = drifted(parseJson<JsonReport<DriftResult>>(res));
        assert.deepEqual(
          rows.map((r) => [r.resource_id, r.drift_type, r.severity]),
          [[c.id(ns), c.type, c.severity]],
        );
        const managers = (rows[0]?.drift_details ?? [])
          .filter((d) => d.type === c.type)
          .map((d) => d.manager);
        // Missing has no field to attribute; every other type names the manager that made the change.
        if (c.manager)
          assert.ok(managers.includes(c.manager), `managers of ${c.type}: ${managers.join(', ')}`);
        else
          assert.deepEqual(
            managers.filter((m) => m !== null),
            [],
          );
        const table = await analyze(EXAMPLES, ['-n', ns]);
        assert.equal(table.code, 0);
        const [, row] = table.stdout.split('\n');
        const kindName = c.id(ns).split(':');
        assert.match(
          row ?? '',
          new RegExp(
            `^${kindName[0]}/${ns}/${kindName[2]}\\s+${c.type}\\s+${c.severity}\\s+${c.manager ?? '-'}\\s`,
          ),
        );
        assert.ok(table.stdout.endsWith(`\n1 of ${total} resources drifted\n`), table.stdout);
        await runStep(kubectl, ns, c.revert);
      });
    }
  });

  it('never prints a Secret value, in any output format', async () => {
    const { ns, repo } = await shopRepo();
    const oldValue = 's3cr3t-Pa55w0rd';
    const newValue = 'n3w-S3cret-Valu3';
    await plane.kubectlOk([
      '-n',
      ns,
      'patch',
      'secret/db-credentials',
      '-p',
      JSON.stringify({ data: { password: Buffer.from(newValue).toString('base64') }, stringData: null }),
    ]);
    const forbidden = [
      oldValue,
      newValue,
      Buffer.from(oldValue).toString('base64'),
      Buffer.from(newValue).toString('base64'),
    ];
    for (const output of ['table', 'wide', 'json', 'yaml']) {
      const r = await analyze(repo, ['-n', ns, '-o', output]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /SecretChange/);
      for (const secret of forbidden) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `-o ${output} shows ${secret}`);
      }
    }
    const yaml = parseYaml((await analyze(repo, ['-n', ns, '-o', 'yaml'])).stdout) as JsonReport<DriftResult>;
    assert.equal(drifted(yaml)[0]?.drift_type, 'SecretChange');
  });

  it('reports a malformed manifest with file and line and analyses the rest', async () => {
    const { ns, repo } = await shopRepo();
    writeFileSync(
      join(repo, 'broken.yaml'),
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: broken',
        `  namespace: ${ns}`,
        'data:',
        '  key: [unclosed',
        '',
      ].join('\n'),
    );
    await plane.kubectlOk(['-n', ns, 'scale', 'deployment/web', '--replicas=4']);
    const r = await analyze(repo, ['-n', ns, '-o', 'json', '--exit-code']);
    assert.equal(r.code, 2, 'a parse error is an error even when drift was found');
    // Beside the confirm stage's count line, the one error.
    const errors = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('confirm: '));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0] ?? '', /^error: broken\.yaml:[78]: \S/);
    const json = parseJson<JsonReport<DriftResult>>(r);
    assert.equal(json.count, 4);
    assert.deepEqual(
      drifted(json).map((d) => d.drift_type),
      ['Scaling'],
    );
  });

  it('parses (and list tables) kept in a cache dir give the same analysis, and an edited file is parsed again', async () => {
    const { ns, repo } = await shopRepo();
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    const cacheDir = tempDir('driftguard-parsed-');
    const tableDir = tempDir('driftguard-list-tables-');
    const run = (parseCacheDir: string | null) =>
      analyzeInProcess(kc, {
        repo,
        defaultNamespace: 'default',
        namespace: ns,
        parseCacheDir,
        listTableDir: parseCacheDir === null ? null : tableDir,
      });
    const uncached = await run(null);
    assert.equal(readdirSync(cacheDir).length, 0);
    const filled = await run(cacheDir);
    assert.equal(readdirSync(cacheDir).length, 1, 'the run kept its parses');
    const cached = await run(cacheDir);
    for (const r of [filled, cached]) assert.deepEqual(comparable(r), comparable(uncached));
    assert.equal(uncached.results.filter((d) => d.drift_detected).length, 0);

    // Git now asks for 5 replicas: the cached parse of the old file must not hide it.
    const web = join(repo, 'web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace(/replicas: \d+/, 'replicas: 5'));
    const edited = await run(cacheDir);
    assert.deepEqual(comparable(edited), comparable(await run(null)));
    assert.deepEqual(
      edited.results.filter((d) => d.drift_detected).map((d) => [d.resource_id, d.drift_type]),
      [[`Deployment:${ns}:web`, 'Scaling']],
    );
  });

  it('reads a Git repository by file:// URL with --branch and --path, and a local work tree', async () => {
    const { ns, repo } = await shopRepo();
    const git = mkdtempSync(join(tmpdir(), 'driftguard-git-'));
    const run = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: git,
        encoding: 'utf8',
      });
    run('init', '-q', '-b', 'main');
    mkdirSync(join(git, 'deploy'));
    cpSync(repo, join(git, 'deploy'), { recursive: true });
    writeFileSync(join(git, 'README.yaml'), 'not: [a manifest\n');
    run('add', '.');
    run('commit', '-q', '-m', 'desired');
    const mainCommit = run('rev-parse', 'HEAD').trim();
    run('checkout', '-q', '-b', 'more-replicas');
    execFileSync('sed', ['-i', 's/replicas: 3/replicas: 7/', join(git, 'deploy', 'web.yaml')]);
    run('commit', '-q', '-am', 'scale up in Git');
    run('checkout', '-q', 'main');

    const onMain = await analyze(`file://${git}`, [
      '--branch',
      'main',
      '--path',
      'deploy',
      '-n',
      ns,
      '-o',
      'json',
      '--exit-code',
    ]);
    assert.equal(onMain.code, 0, onMain.stderr);
    const mainJson = parseJson<JsonReport<DriftResult>>(onMain);
    assert.equal(mainJson.count, 4);
    assert.ok(mainJson.drift_records.every((d) => d.git_commit === mainCommit));

    const onBranch = await analyze(`file://${git}`, [
      '--branch',
      'more-replicas',
      '--path',
      'deploy',
      '-n',
      ns,
      '-o',
      'json',
      '--exit-code',
    ]);
    assert.equal(onBranch.code, 1, onBranch.stderr);
    const detail = drifted(parseJson<JsonReport<DriftResult>>(onBranch))[0]?.drift_details[0];
    assert.deepEqual([detail?.path, detail?.desired, detail?.live], ['spec.replicas', 7, 3]);

    const workTree = await analyze(git, ['--path', 'deploy', '-n', ns, '--exit-code']);
    assert.equal(workTree.code, 0, workTree.stderr);
    const viaBranchOfLocal = await analyze(git, [
      '--branch',
      'more-replicas',
      '--path',
      'deploy',
      '-n',
      ns,
      '--exit-code',
    ]);
    assert.equal(viaBranchOfLocal.code, 1);
  });

  it('custom resources in a plain directory: the scope and schema defaults come from the server', async () => {
    // Only the kinds the files name are discovered (not the whole of /apis): a cluster-scoped CR
    // written without a namespace must still be read cluster-wide, and a field its CRD defaults
    // must not look like drift. Then a real change to the cluster-scoped one is found.
    const local = (kind: string, scope: 'Cluster' | 'Namespaced') =>
      crd({
        group: 'local.driftguard.test',
        kind,
        scope,
        spec: {
          type: 'object',
          properties: { size: { type: 'integer' }, tier: { type: 'string', default: 'gold' } },
        },
      });

    await plane.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [local('Region', 'Cluster'), local('Shelf', 'Namespaced')],
      }),
    });
    await plane.kubectlOk([
      'wait',
      '--for=condition=Established',
      'crd/regions.local.driftguard.test',
      'crd/shelfs.local.driftguard.test',
    ]);
    const ns = `crs-${++nsCounter}`;
    const repo = mkdtempSync(join(tmpdir(), 'driftguard-crs-'));
    writeFileSync(
      join(repo, 'namespace.yaml'),
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`,
    );
    writeFileSync(
      join(repo, 'crs.yaml'),
      `apiVersion: local.driftguard.test/v1\nkind: Region\nmetadata: { name: ${ns}-north }\nspec: { size: 3 }\n---\n` +
        `apiVersion: local.driftguard.test/v1\nkind: Shelf\nmetadata: { name: top, namespace: ${ns} }\nspec: { size: 1 }\n`,
    );
    await plane.kubectlOk(['apply', '-f', join(repo, 'namespace.yaml')]);
    await plane.kubectlOk(['apply', '-f', join(repo, 'crs.yaml')]);
    const json = parseJson<JsonReport<DriftResult>>(await analyze(repo, ['-o', 'json']));
    assert.deepEqual(json.drift_records.map((d) => [d.resource_id, d.drift_detected]).sort(), [
      [`Namespace::${ns}`, false],
      [`Region.local.driftguard.test::${ns}-north`, false],
      [`Shelf.local.driftguard.test:${ns}:top`, false],
    ]);
    await plane.kubectlOk(['patch', 'region', `${ns}-north`, '--type', 'merge', '-p', '{"spec":{"size":5}}']);
    const after = parseJson<JsonReport<DriftResult>>(await analyze(repo, ['-o', 'json']));
    assert.deepEqual(
      drifted(after).map((d) => d.resource_id),
      [`Region.local.driftguard.test::${ns}-north`],
    );
  });

  it('fails with one line and exit 2 on bad input', async () => {
    const { ns, repo } = await shopRepo();
    const cases: [string[], RegExp][] = [
      [['--context', 'nope'], /^error: context "nope" not found in kubeconfig/],
      [['--repo', '/does/not/exist'], /^error: --repo \/does\/not\/exist: no such directory\n$/],
      [
        ['--repo', 'file:///does/not/exist', '--branch', 'x'],
        /^error: cannot clone file:\/\/\/does\/not\/exist \(branch x\): /,
      ],
      [['--path', '../..'], /^error: --path \.\.\/\.\. is outside the repository\n$/],
      [['-n', ns, '-A'], /mutually exclusive/],
    ];
    for (const [extra, message] of cases) {
      const r = await runPlugin([
        'analyze',
        '--local',
        '--repo',
        repo,
        '--kubeconfig',
        plane.kubeconfig,
        ...extra,
      ]);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const forbidden = await runPlugin([
      'analyze',
      '--local',
      '--repo',
      repo,
      '-n',
      ns,
      '--kubeconfig',
      plane.viewerKubeconfig,
    ]);
    assert.equal(forbidden.code, 2);
    assert.match(forbidden.stderr, /^error: forbidden: .*cannot get resource/);
    assert.equal(forbidden.stderr.trim().split('\n').length, 1);
  });
  it('never an all-clear from an empty comparison: no manifests, or none in the -n namespace, is exit 2', async () => {
    const { ns, repo } = await shopRepo();
    const empty = tempDir('driftguard-empty-repo-');
    mkdirSync(join(empty, 'deploy'));
    for (const [args, message] of [
      [
        ['--repo', empty],
        /^error: no manifests found in .*: nothing to compare with the cluster \(check --repo and --path\)$/,
      ],
      [
        ['--repo', empty, '--path', 'deploy'],
        /^error: no manifests found in .* --path deploy: nothing to compare/,
      ],
      [
        ['--repo', repo, '-n', `${ns}-typo`],
        new RegExp(`declares nothing in namespace ${ns}-typo \\(\\d+ objects in other namespaces\\)`),
      ],
    ] as const) {
      const r = await analyze(args[1], [...args.slice(2), '--exit-code']);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr.trim(), message);
      assert.doesNotMatch(r.stdout, /No resources found|No drift/);
    }
    // The same repository with the right namespace is in sync: exit 0.
    const ok = await analyze(repo, ['-n', ns, '--exit-code']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });
});
