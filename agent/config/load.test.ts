import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from './load.ts';

const minimal = 'git:\n  url: /srv/manifests\n';

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config parsing', () => {
  it('fills every default from a minimal file', () => {
    const c = parseConfig(minimal, {});
    assert.equal(c.server.port, 8080);
    assert.equal(c.server.health_port, 8081);
    assert.equal(c.server.health_address, '0.0.0.0');
    assert.equal(c.logging.format, 'json');
    assert.equal(c.database.name, 'driftguard');
    assert.equal(c.database.uri, undefined);
    assert.equal(c.database.path, './data/driftguard.db');
    assert.deepEqual(c.kubernetes.resource_types, ['Deployment', 'Service', 'ConfigMap', 'Secret']);
    assert.deepEqual(c.kubernetes.system_namespaces, ['kube-system', 'kube-public', 'kube-node-lease']);
    assert.equal(c.kubernetes.exclude_system_namespaces, true);
    assert.equal(c.git.branch, 'main');
    assert.equal(c.drift.interval, 30_000);
    assert.equal(c.drift.periodic, true);
    assert.equal(c.drift.watch, true);
  });

  const cases: { name: string; yaml: string; check: (c: ReturnType<typeof parseConfig>) => void }[] = [
    {
      name: 'durations in ms, s, m and combined',
      yaml: 'drift: { interval: 2m }\nserver: { read_timeout: 500ms, write_timeout: 1m30s }',
      check: (c) => {
        assert.equal(c.drift.interval, 120_000);
        assert.equal(c.server.read_timeout, 500);
        assert.equal(c.server.write_timeout, 90_000);
      },
    },
    {
      name: 'sizes',
      yaml: 'server: { body_limit: 512kb }',
      check: (c) => assert.equal(c.server.body_limit, 512 * 1024),
    },
    {
      name: 'in-cluster changes the embedded path',
      yaml: 'kubernetes: { in_cluster: true }',
      check: (c) => assert.equal(c.database.path, '/var/lib/driftguard/driftguard.db'),
    },
    {
      name: 'a MongoDB uri',
      yaml: 'database: { uri: "mongodb://db:27017", name: dg }',
      check: (c) => {
        assert.equal(c.database.uri, 'mongodb://db:27017');
        assert.equal(c.database.name, 'dg');
      },
    },
    {
      name: 'git auth sub-section',
      yaml: 'git: { url: /srv/manifests, auth: { username: bob, password_env: GIT_PW } }',
      check: (c) =>
        assert.deepEqual(c.git.auth, {
          username: 'bob',
          password_env: 'GIT_PW',
          token_env: undefined,
          token_file: undefined,
          password_file: undefined,
          ssh_key_file: undefined,
        }),
    },
    {
      name: 'render.helm as the old path shorthand',
      yaml: 'render: { helm: /opt/helm }',
      check: (c) => {
        assert.equal(c.render.helm.path, '/opt/helm');
        assert.deepEqual(c.render.helm.repositories, []);
      },
    },
    {
      name: 'render.helm.repositories with their limits',
      yaml: 'render: { helm: { repositories: [{ url: "https://charts.example/stable", name: stable, secret: creds }, { url: "oci://r.example/charts", plain_http: true }], max_chart_size: 2mb, index_ttl: 1m } }',
      check: (c) => {
        assert.deepEqual(
          c.render.helm.repositories.map((r) => [r.url, r.name, r.secret, r.plain_http]),
          [
            ['https://charts.example/stable', 'stable', 'creds', false],
            ['oci://r.example/charts', undefined, undefined, true],
          ],
        );
        assert.equal(c.render.helm.max_chart_size, 2 * 1024 * 1024);
        assert.equal(c.render.helm.index_ttl, 60_000);
      },
    },
    {
      name: 'engine rules pass through',
      yaml: 'drift: { rules: { severity: { Scaling: high } } }',
      check: (c) => assert.deepEqual(c.drift.rules, { severity: { Scaling: 'high' } }),
    },
  ];
  for (const tc of cases) {
    it(`parses ${tc.name}`, () =>
      tc.check(parseConfig(`${tc.yaml.startsWith('git:') ? '' : minimal}${tc.yaml}\n`, {})));
  }
});

describe('DRIFTGUARD_* overrides', () => {
  const cases: { env: Record<string, string>; check: (c: ReturnType<typeof parseConfig>) => void }[] = [
    { env: { DRIFTGUARD_SERVER_PORT: '9090' }, check: (c) => assert.equal(c.server.port, 9090) },
    {
      env: { DRIFTGUARD_GIT_URL: 'https://git.example/x.git' },
      check: (c) => assert.equal(c.git.url, 'https://git.example/x.git'),
    },
    {
      env: { DRIFTGUARD_DATABASE_URI: 'mongodb://h:1/' },
      check: (c) => assert.equal(c.database.uri, 'mongodb://h:1/'),
    },
    { env: { DRIFTGUARD_DRIFT_INTERVAL: '45s' }, check: (c) => assert.equal(c.drift.interval, 45_000) },
    {
      env: { DRIFTGUARD_RENDER_HELM: '/opt/helm' },
      check: (c) => assert.equal(c.render.helm.path, '/opt/helm'),
    },
    {
      env: { DRIFTGUARD_RENDER_HELM_REPOSITORIES: '[{url: "oci://r.example/c"}]' },
      check: (c) =>
        assert.deepEqual(
          c.render.helm.repositories.map((r) => r.url),
          ['oci://r.example/c'],
        ),
    },
    { env: { DRIFTGUARD_DRIFT_PERIODIC: 'false' }, check: (c) => assert.equal(c.drift.periodic, false) },
    {
      env: { DRIFTGUARD_KUBERNETES_NAMESPACES: 'a, b' },
      check: (c) => assert.deepEqual(c.kubernetes.namespaces, ['a', 'b']),
    },
    {
      env: { DRIFTGUARD_GIT_AUTH_TOKEN_ENV: 'TOKEN' },
      check: (c) => assert.equal(c.git.auth.token_env, 'TOKEN'),
    },
    { env: { DRIFTGUARD_LOGGING_FORMAT: 'pretty' }, check: (c) => assert.equal(c.logging.format, 'pretty') },
    {
      env: { DRIFTGUARD_DRIFT_RULES: '{severity: {Scaling: low}}' },
      check: (c) => assert.deepEqual(c.drift.rules, { severity: { Scaling: 'low' } }),
    },
  ];
  for (const tc of cases) {
    it(`applies ${Object.keys(tc.env).join(',')}`, () =>
      tc.check(parseConfig(`${minimal}server: { port: 1 }\n`, tc.env)));
  }
  it('reads sources: with their defaults, and needs no git.url then', () => {
    const c = parseConfig(
      'sources:\n  - { name: plain, url: /r, path: a }\n  - name: chart\n    url: /r\n    path: charts/x\n    namespace: apps\n    helm: { values_files: [v.yaml], set: { a.b: 1 }, values: { x: [1, { y: z }] } }\n',
      {},
    );
    assert.equal(c.git.url, undefined);
    assert.equal(c.sources?.length, 2);
    assert.deepEqual(c.sources?.[0], {
      name: 'plain',
      url: '/r',
      branch: 'main',
      path: 'a',
      type: 'auto',
      kustomize: { load_restrictor: 'RootOnly', enable_helm: false },
      helm: {
        values_files: [],
        values: {},
        set: {},
        include_crds: true,
        skip_tests: true,
        kube_version: 'auto',
        api_versions: 'auto',
      },
      network: false,
    });
    assert.deepEqual(c.sources?.[1]?.helm.set, { 'a.b': '1' });
    assert.deepEqual(c.sources?.[1]?.helm.values, { x: [1, { y: 'z' }] });
    assert.equal(c.sources?.[1]?.namespace, 'apps');
    assert.equal(c.render.timeout, 90_000);
  });
  it('takes sources: from DRIFTGUARD_SOURCES as YAML', () => {
    const c = parseConfig('', { DRIFTGUARD_SOURCES: '[{ name: a, url: /r, type: helm }]' });
    assert.equal(c.sources?.[0]?.type, 'helm');
  });
  it('reads a helm-release source: no url, releases all by default or listed', () => {
    const c = parseConfig(
      'sources:\n  - { name: rel, type: helm-release }\n  - { name: some, type: helm-release, releases: [apps/web, db/pg.main] }\n',
      {},
    );
    assert.equal(c.sources?.[0]?.url, undefined);
    assert.equal(c.sources?.[0]?.releases, undefined);
    assert.deepEqual(c.sources?.[1]?.releases, ['apps/web', 'db/pg.main']);
    assert.equal(
      parseConfig('sources: [{ name: r, type: helm-release, releases: all }]', {}).sources?.[0]?.releases,
      'all',
    );
  });
  it('lets the environment supply a required key', () => {
    assert.equal(parseConfig('', { DRIFTGUARD_GIT_URL: '/x' }).git.url, '/x');
  });
});

describe('config errors', () => {
  const cases: { yaml: string; env?: Record<string, string>; bare?: boolean; expect: RegExp }[] = [
    { yaml: '', expect: /^git\.url: required/ },
    { yaml: 'servre: {}', expect: /^servre: unknown section/ },
    { yaml: 'sources: {}', expect: /^sources: must be a list of sources/ },
    { yaml: 'sources: [{ url: /r }]', expect: /^sources\[0\]\.name: required/ },
    { yaml: 'sources: [{ name: Shop_1, url: /r }]', expect: /^sources\[0\]\.name: must be lowercase/ },
    {
      yaml: 'sources: [{ name: a, url: /r }, { name: a, url: /s }]',
      expect: /^sources\[1\]\.name: a is used by two sources/,
    },
    {
      yaml: 'git: { url: /g }\nsources: [{ name: default, url: /r }]',
      expect: /^sources\[0\]\.name: default is/,
    },
    { yaml: 'sources: [{ name: a }]', expect: /^sources\[0\]\.url: required/ },
    {
      yaml: 'sources: [{ name: a, type: helm-release, url: /r }]',
      expect: /^sources\[0\]\.url: a helm-release source reads the cluster/,
    },
    {
      yaml: 'sources: [{ name: a, type: helm-release, releases: [web] }]',
      expect: /^sources\[0\]\.releases\[0\]: must be namespace\/release/,
    },
    {
      yaml: 'sources: [{ name: a, url: /r, releases: all }]',
      expect: /^sources\[0\]\.releases: only for type: helm-release/,
    },
    {
      yaml: 'sources: [{ name: a, url: /r, type: jsonnet }]',
      expect: /^sources\[0\]\.type: must be one of auto/,
    },
    {
      yaml: 'sources: [{ name: a, url: /r, kustomize: { load_restrictor: Any } }]',
      expect: /^sources\[0\]\.kustomize\.load_restrictor: must be one of RootOnly, None/,
    },
    {
      yaml: 'sources: [{ name: a, url: /r, helm: { valuesFiles: [] } }]',
      expect: /^sources\[0\]\.helm\.valuesFiles: unknown key/,
    },
    { yaml: 'server: { prot: 1 }', expect: /^server\.prot: unknown key/ },
    {
      yaml: 'server: { port: abc }',
      expect: /^server\.port: must be an integer from 0 to 65535 \(got "abc"\)/,
    },
    { yaml: 'server: { port: 70000 }', expect: /^server\.port: must be an integer/ },
    { yaml: 'server: []', expect: /^server: must be a map/ },
    { yaml: 'server: { read_timeout: soon }', expect: /^server\.read_timeout: must be a duration/ },
    { yaml: 'server: { body_limit: lots }', expect: /^server\.body_limit: must be a size/ },
    { yaml: 'logging: { format: xml }', expect: /^logging\.format: must be one of json, pretty/ },
    {
      yaml: 'kubernetes: { namespaces: default }',
      expect: /^kubernetes\.namespaces: must be a list of strings/,
    },
    {
      // Whether a kind exists is discovery's to say when the watches start (cluster-watch.test.ts).
      yaml: 'kubernetes: { resource_types: [Deployment, "deploy ments"] }',
      expect: /^kubernetes\.resource_types: "deploy ments" is not a resource type/,
    },
    { yaml: 'kubernetes: { in_cluster: maybe }', expect: /^kubernetes\.in_cluster: must be true or false/ },
    {
      yaml: 'kubernetes: { in_cluster: true, kubeconfig: /k }',
      expect: /^kubernetes: set kubeconfig or in_cluster, not both/,
    },
    { yaml: 'database: { uri: "postgres://x" }', expect: /^database\.uri: must start with mongodb/ },
    {
      yaml: 'git: { url: /x, auth: { token_env: A, token_file: /b } }',
      expect: /^git\.auth: set token_env or token_file/,
    },
    {
      yaml: 'git: { url: /x, auth: { password_env: A } }',
      expect: /^git\.auth\.username: required with a password/,
    },
    { yaml: 'git: { url: /x, auth: { tokn: x } }', expect: /^git\.auth\.tokn: unknown key/ },
    { yaml: 'drift: { interval: 10ms }', expect: /^drift\.interval: must be at least 1s/ },
    {
      yaml: 'render: { helm: { repositories: [{ url: "ftp://x/charts" }] } }',
      expect:
        /^render\.helm\.repositories\[0\]\.url: must be an http\(s\):\/\/ chart repository or an oci:\/\/ registry URL/,
    },
    {
      yaml: 'render: { helm: { repositories: [{ url: "https://u:pw@x/charts" }] } }',
      expect: /^render\.helm\.repositories\[0\]\.url: must not hold credentials \(name a Secret in secret:\)/,
    },
    {
      yaml: 'render: { helm: { repositories: [{ url: "https://a", name: s }, { url: "https://b", name: s }] } }',
      expect: /^render\.helm\.repositories\[1\]\.name: s names two repositories/,
    },
    {
      yaml: 'render: { helm: { max_chart_size: huge } }',
      expect: /^render\.helm\.max_chart_size: must be a size/,
    },
    { yaml: 'drift: { rules: { severity: { Nope: high } } }', expect: /^drift\.rules\.severity\.Nope/ },
    { yaml: 'server: { port: 1', expect: /^config:\d+: / },
    { yaml: '- a\n- b', bare: true, expect: /the top level must be a map/ },
    {
      yaml: '',
      env: { DRIFTGUARD_SERVER_PORT: 'eighty' },
      expect: /^server\.port: .*\(from DRIFTGUARD_SERVER_PORT\)/,
    },
    { yaml: '', env: { DRIFTGUARD_SERVER_PROT: '1' }, expect: /^DRIFTGUARD_SERVER_PROT: unknown setting/ },
  ];
  for (const tc of cases) {
    it(`reports ${tc.expect.source}`, () => {
      const base = tc.bare || tc.yaml.startsWith('git:') || tc.yaml === '' ? '' : minimal;
      const problems = problemsOf(`${base}${tc.yaml}\n`, tc.env ?? {});
      assert.ok(
        problems.some((p) => tc.expect.test(p)),
        `problems: ${JSON.stringify(problems)}`,
      );
    });
  }

  it('reports every wrong key at once', () => {
    const problems = problemsOf(`${minimal}server: { port: x, health_port: y, nope: 1 }\n`);
    assert.equal(problems.length, 3, JSON.stringify(problems));
  });

  it("takes a secret's source variable for what it is, even in a section's namespace", () => {
    const withToken = `git:\n  url: /srv/manifests\n  auth: { username: u, password_env: DRIFTGUARD_GIT_TOKEN }\n`;
    assert.deepEqual(problemsOf(withToken, { DRIFTGUARD_GIT_TOKEN: 't' }), []);
    assert.match(
      problemsOf(withToken, { DRIFTGUARD_GIT_TOKEN: 't', DRIFTGUARD_GIT_TOKN: 't' }).join('\n'),
      /^DRIFTGUARD_GIT_TOKN: unknown setting/,
    );
  });

  it('ignores DRIFTGUARD_ variables outside the config sections', () => {
    assert.deepEqual(problemsOf(minimal, { DRIFTGUARD_CACHE: '/tmp/x' }), []);
  });

  it('names an unreadable file', () => {
    assert.throws(
      () => loadConfig('/nonexistent/driftguard.yaml', {}),
      /cannot read the config file \(ENOENT\)/,
    );
  });

  it('loads a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, minimal);
    assert.equal(loadConfig(file, {}).git.url, '/srv/manifests');
  });
});

describe('agent/config.example.yaml', () => {
  it('parses with only the example values', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../config.example.yaml', import.meta.url), 'utf8');
    const c = parseConfig(text, {});
    assert.equal(c.git.path, 'manifests');
    assert.equal(c.server.idle_timeout, 120_000);
  });
});

describe('agent/config.example.yaml documents the schema', () => {
  it('names every key of every section (set or commented out)', async () => {
    const { readFileSync } = await import('node:fs');
    const { z } = await import('zod');
    const { configSections } = await import('./schema.ts');
    const { sectionOf } = await import('./fields.ts');
    const text = readFileSync(new URL('../config.example.yaml', import.meta.url), 'utf8');
    const missing: string[] = [];
    for (const [name, section] of Object.entries(configSections.shape)) {
      // The section's block: from `name:` at the left margin to the next top-level line.
      const block = new RegExp(`^(?:#[ ]*)?${name}:.*\\n((?:[ #].*\\n|\\n)*)`, 'm').exec(text)?.[1] ?? '';
      // A list section (sources:, notifications:) documents the keys of its entries.
      const item = (f: unknown): unknown =>
        f instanceof z.ZodDefault || f instanceof z.ZodOptional
          ? item(f.unwrap())
          : f instanceof z.ZodArray
            ? f.element
            : f;
      const unwrap = (f: unknown): unknown =>
        f instanceof z.ZodDefault || f instanceof z.ZodOptional ? unwrap(f.unwrap()) : f;
      const walk = (shape: Record<string, unknown>, path: string[]) => {
        for (const [key, field] of Object.entries(shape)) {
          if (!new RegExp(`^[ ]*(#[ ]*)?(-[ ]*)?${key}:`, 'm').test(block))
            missing.push([...path, key].join('.'));
          // Sub-sections, a shorthand's section (render.helm) and lists of maps (its repositories).
          const inner = unwrap(field);
          const sub = sectionOf(
            (inner instanceof z.ZodArray ? inner.element : field) as Parameters<typeof sectionOf>[0],
          );
          if (sub) walk(sub.section.shape, [...path, key]);
        }
      };
      const own = item(section);
      walk(own instanceof z.ZodObject ? (own.shape as Record<string, unknown>) : {}, [name]);
    }
    assert.deepEqual(missing, []);
  });
});
