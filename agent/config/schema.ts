// The agent's config file, declared once. This zod schema is the contract: the TypeScript types
// below are inferred from it, load.ts validates the file (and every DRIFTGUARD_* override, which it
// derives by walking this shape) with it, and each wrong key is reported with its path.
// Keys are snake_case as in the YAML; durations are parsed to milliseconds, sizes to bytes.
//
// To add a key: add it to its section with a kind from fields.ts, then `.default(value)` (output
// units: ms, bytes) or `.optional()`; its env variable DRIFTGUARD_<SECTION>_<KEY> follows by
// itself. A new section is `section({...})` here plus its type export below. A key that holds
// structured YAML (a list of maps, say) is `fromEnvAs('yaml', z.array(section({...})))`. A rule
// across keys of one section is a `.superRefine()` on that section (it runs once the section's keys
// are valid); give the issue a `path` to name the key. Document the key in ../config.example.yaml.
import { z } from 'zod';
import { engineRulesSchema } from '../../shared/engine/rules.ts';
import { DEFAULT_HELM, DEFAULT_KUSTOMIZE, SOURCE_TYPES } from '../../shared/node/render/types.ts';
import { strictMap } from '../../shared/schema.ts';
import { DNS_LABEL, SOURCE_NAME } from '../../shared/types.ts';
import {
  bool,
  duration,
  envName,
  fromEnvAs,
  int,
  oneOf,
  port,
  section,
  shorthand,
  size,
  strings,
  text,
} from './fields.ts';

/** What a `resource_types` entry must look like: kubectl's spellings (kind, plural, short name, `Kind.group`). */
export const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9]*(\.[a-z0-9]([-.a-z0-9]*[a-z0-9])?)?$/;

export const DEFAULT_RESOURCE_TYPES = ['Deployment', 'Service', 'ConfigMap', 'Secret'] as const;
export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

const server = section({
  port: port().default(8080),
  address: text().default('127.0.0.1'),
  health_port: port().default(8081),
  health_address: text().default('0.0.0.0'),
  read_timeout: duration().default(30_000),
  write_timeout: duration().default(30_000),
  idle_timeout: duration().default(120_000),
  body_limit: size().default(1024 * 1024),
}).superRefine((s, ctx) => {
  if (s.port !== 0 && s.port === s.health_port && s.address === s.health_address)
    ctx.addIssue({ code: 'custom', path: ['health_port'], message: 'must differ from server.port' });
});

const logging = section({
  level: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  format: oneOf(['json', 'pretty']).default('json'),
});

/** MongoDB when `uri` (or `host`) is set, otherwise the embedded store at `path`. */
const database = section({
  uri: text().optional(),
  host: text().optional(),
  port: port().default(27017),
  name: text().default('driftguard'),
  connect_timeout: duration().default(10_000),
  /** Default: ./data/driftguard.db, in-cluster /var/lib/driftguard/driftguard.db (set below). */
  path: text().optional(),
  /**
   * Another program writes this database's records too (not a second replica: leader election
   * handles those). Records are then always read from the database, never answered from memory.
   */
  shared: bool().default(false),
}).superRefine((d, ctx) => {
  if (d.uri && d.host) ctx.addIssue({ code: 'custom', message: 'set uri or host, not both' });
  if (d.uri && !/^mongodb(\+srv)?:\/\//.test(d.uri))
    ctx.addIssue({ code: 'custom', path: ['uri'], message: 'must start with mongodb:// or mongodb+srv://' });
});

/** A DNS label: it is stored on every record and names the cluster in the API, events and metrics. */
const clusterName = text()
  .refine((s) => DNS_LABEL.test(s), {
    error: 'must be a DNS label (lower-case letters, digits and -, at most 63)',
  })
  .default('default');

const kubernetes = section({
  /** Several clusters may share one MongoDB: an agent only changes or deletes its own cluster's records. */
  cluster: clusterName,
  kubeconfig: text().optional(),
  in_cluster: bool().default(false),
  context: text().optional(),
  namespaces: strings().default(() => []),
  resource_types: strings()
    .superRefine((kinds, ctx) => {
      // Which kinds exist is the API server's to say (discovery, when the watches start); here only the spelling.
      for (const k of kinds)
        if (!RESOURCE_TYPE.test(k))
          ctx.addIssue({
            code: 'custom',
            message: `${JSON.stringify(k)} is not a resource type (a kind, plural or short name, with .group when ambiguous)`,
          });
    })
    .default(() => [...DEFAULT_RESOURCE_TYPES]),
  exclude_system_namespaces: bool().default(true),
  system_namespaces: strings().default(() => [...DEFAULT_SYSTEM_NAMESPACES]),
  /** A watch with no event nor reconnect for this long is restarted. */
  watchdog_timeout: duration().default(120_000),
}).superRefine((k, ctx) => {
  if (k.kubeconfig && k.in_cluster)
    ctx.addIssue({ code: 'custom', message: 'set kubeconfig or in_cluster, not both' });
});

const gitAuth = section({
  token_env: text().optional(),
  token_file: text().optional(),
  username: text().optional(),
  password_env: text().optional(),
  password_file: text().optional(),
  ssh_key_file: text().optional(),
}).superRefine((a, ctx) => {
  if (a.token_env && a.token_file)
    ctx.addIssue({ code: 'custom', message: 'set token_env or token_file, not both' });
  if (a.password_env && a.password_file)
    ctx.addIssue({ code: 'custom', message: 'set password_env or password_file, not both' });
  if ((a.password_env || a.password_file) && !a.username)
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'required with a password' });
});

const GIT_URL_REQUIRED = `required (a remote URL or a local path; or set ${envName(['git', 'url'])}; or list sources:, or sources_from:)`;

const git = section({
  /** Required unless `sources:` lists the repositories (checked on the whole config below). */
  url: text().optional(),
  branch: text().default('main'),
  path: text().default(''),
  /**
   * Where the clone lives; default: a `git` folder beside the embedded database, or a temp dir.
   * A restart takes up the clone it finds there when its origin is this URL (fetched, reset and
   * cleaned), with the parsed files cached in its .git by path and blob id.
   */
  work_dir: text().optional(),
  clone_timeout: duration().default(120_000),
  pull_timeout: duration().default(60_000),
  auth: gitAuth,
});

/** Helm's values: any YAML map (its keys are the chart's, not ours). */
const helmValues = z.record(z.string(), z.json(), { error: 'must be a map' });

const kustomizeOptions = section({
  load_restrictor: oneOf(['RootOnly', 'None']).default(DEFAULT_KUSTOMIZE.load_restrictor),
  /** Lets a kustomization's helmCharts render (with this agent's helm); pulls still need `network`. */
  enable_helm: bool().default(DEFAULT_KUSTOMIZE.enable_helm),
});

const helmOptions = section({
  /** Default: the chart's name. */
  release: text().optional(),
  /** Relative to the chart directory; each must resolve inside the repository. */
  values_files: strings().default(() => [...DEFAULT_HELM.values_files]),
  values: helmValues.default(() => ({ ...DEFAULT_HELM.values })),
  set: z
    .record(z.string(), text(), { error: 'must be a map of key: value' })
    .default(() => ({ ...DEFAULT_HELM.set })),
  include_crds: bool().default(DEFAULT_HELM.include_crds),
  skip_tests: bool().default(DEFAULT_HELM.skip_tests),
  /** `auto`: the cluster's version, from its discovery. */
  kube_version: text().default(DEFAULT_HELM.kube_version),
  /** `auto`: the group/versions the cluster serves; else a list such as [monitoring.coreos.com/v1]. */
  api_versions: z
    .union([z.literal('auto'), z.array(z.string())], { error: 'must be auto or a list of strings' })
    .default(DEFAULT_HELM.api_versions),
});

/** `namespace/release`, as `helm list -A` names a release. */
const HELM_RELEASE_REF = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-.a-z0-9]{0,51}[a-z0-9])?$/;
const URL_REQUIRED = 'required (a remote URL or a local path)';

/** One entry of `sources:`: a repository path, how to read it, and its namespace. */
const source = section({
  name: text('required (unique; lowercase letters, digits and -)').refine((n) => SOURCE_NAME.test(n), {
    error: 'must be lowercase letters, digits and - (at most 63, starting and ending with a letter or digit)',
  }),
  /** Required for a Git source; a helm-release source has none (checked below). */
  url: text(URL_REQUIRED).optional(),
  /** A branch, a tag, or a commit (which pins the source). */
  branch: text().default('main'),
  path: text().default(''),
  /** helm-release: no Git; the manifests Helm stored for the releases' deployed revisions. */
  type: oneOf([...SOURCE_TYPES, 'helm-release']).default('auto'),
  /** type helm-release: `all` (the default), or a list of `namespace/release`. */
  releases: z
    .union(
      [
        z.literal('all'),
        z.array(text().refine((r) => HELM_RELEASE_REF.test(r), { error: 'must be namespace/release' })),
      ],
      { error: 'must be all or a list of namespace/release' },
    )
    .optional(),
  /** Default namespace for objects without one; Helm's --namespace. Default: `default`. */
  namespace: text().optional(),
  // The renderer's own defaults (shared/node/render/types.ts), so both sides read one declaration.
  kustomize: kustomizeOptions.default(() => ({ ...DEFAULT_KUSTOMIZE })),
  helm: helmOptions.default(() => structuredClone(DEFAULT_HELM)),
  /** Remote bases, chart dependencies and helmCharts pulls: off unless a source opts in. */
  network: bool().default(false),
}).superRefine((s, ctx) => {
  if (s.type === 'helm-release' && s.url !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: 'a helm-release source reads the cluster: no url',
    });
  if (s.type !== 'helm-release' && s.url === undefined)
    ctx.addIssue({ code: 'custom', path: ['url'], message: URL_REQUIRED });
  if (s.type !== 'helm-release' && s.releases !== undefined)
    ctx.addIssue({ code: 'custom', path: ['releases'], message: 'only for type: helm-release' });
});

const sources = fromEnvAs(
  'yaml',
  z
    .array(source, { error: 'must be a list of sources' })
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${s.name} is used by two sources` });
        seen.add(s.name);
      });
    })
    .optional(),
);

/**
 * Sources read from the GitOps controllers' objects in the cluster (agent/gitops): Argo CD
 * Applications, Flux Kustomizations and HelmReleases, each one more source named after it. Off by
 * default; needs the read RBAC of manifests/overlays/sources-from-gitops.
 */
export const SOURCES_FROM = ['argocd', 'flux'] as const;
const sourcesFrom = fromEnvAs(
  'list',
  z.array(oneOf(SOURCES_FROM), { error: 'must be a list of argocd, flux' }),
).default(() => []);

/**
 * A chart repository whose charts may be fetched as dependencies (`helm dependency build`, done by
 * the agent: shared/node/render/deps). Credentials come from a Secret (keys `username`, `password`)
 * the agent reads when it fetches; none in the config.
 */
const helmRepository = section({
  url: text(
    'required (https://... for a chart repository with an index.yaml, oci://host/path for a registry)',
  )
    .refine((u) => /^(https?|oci):\/\/[^/\s]+/i.test(u), {
      error: 'must be an http(s):// chart repository or an oci:// registry URL',
    })
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), {
      error: 'must not hold credentials (name a Secret in secret:)',
    }),
  /** For dependencies written `repository: "@name"` or `alias:name`. */
  name: text().optional(),
  /** A Secret with keys username and password (basic auth; registry login). */
  secret: text().optional(),
  /** Default: the agent's namespace. */
  secret_namespace: text().optional(),
  /** An oci:// registry spoken to over plain HTTP (not TLS). */
  plain_http: bool().default(false),
});

/** The helm binary, and where chart dependencies may come from. */
const renderHelm = section({
  /** Default: on PATH (or DRIFTGUARD_HELM). */
  path: text().optional(),
  /** The only repositories dependencies are fetched from; anything else is refused. Default: none. */
  repositories: fromEnvAs(
    'yaml',
    z.array(helmRepository, { error: 'must be a list of repositories' }).superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((r, i) => {
        if (r.name !== undefined && seen.has(r.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${r.name} names two repositories` });
        if (r.name !== undefined) seen.add(r.name);
      });
    }),
  ).default(() => []),
  /** A dependency archive larger than this is refused. */
  max_chart_size: size().default(10 * 1024 * 1024),
  /** An index.yaml (or a registry's tag list) larger than this is refused. */
  max_index_size: size().default(64 * 1024 * 1024),
  /** Verified archives, by sha256. Default: helm-charts beside the embedded database's file. */
  cache_dir: text().optional(),
  /** The cache's budget; the least recently used archives go first. */
  cache_size: size().default(512 * 1024 * 1024),
  /** A fetched index.yaml or tag list answers this long before it is asked again. */
  index_ttl: duration().default(300_000),
});

/** Where kustomize and helm are; default: on PATH (the agent image ships both). */
const render = section({
  kustomize: text().optional(),
  /** `helm: /path/to/helm` is short for `helm: { path: /path/to/helm }`. */
  helm: shorthand('path', renderHelm),
  /** A render that takes longer is stopped and reported. */
  timeout: duration().default(90_000),
});

const drift = section({
  interval: duration()
    .refine((ms) => ms >= 1000, { error: 'must be at least 1s' })
    .default(30_000),
  periodic: bool().default(true),
  watch: bool().default(true),
  /**
   * Objects of watched kinds in watched namespaces (not kubernetes.system_namespaces) that no source
   * declares and nothing owns: `report` records them as drift type Unmanaged (severity low, or
   * rules.severity.Unmanaged), a Kustomize generator's left-over hash as Superseded; `ignore` does not.
   */
  unmanaged: oneOf(['report', 'ignore']).default('report'),
  /** The engine's rules (shared/engine/rules.ts); validateRules applies their defaults. */
  rules: fromEnvAs('yaml', engineRulesSchema.optional()),
  secret_salt: text().optional(),
  /** Kubernetes Events DriftDetected/DriftResolved on drifted objects (needs `events` create). */
  events: bool().default(false),
  /**
   * Suspected drift is confirmed with the API server: `dry-run` sends a dry-run create of Git's
   * object (RBAC `create` on the watched kinds; the shipped ValidatingAdmissionPolicy refuses the
   * agent anything but dry-runs), so what admission sets is not drift; `off` keeps the normalised
   * comparison's verdict alone (read-only RBAC, manifests/overlays/read-only).
   */
  confirm: oneOf(['dry-run', 'off']).default('dry-run'),
  /** The confirm requests' budget: requests per second, and how many may go out at once. */
  confirm_qps: int(1, 1000).default(5),
  confirm_burst: int(1, 10_000).default(20),
  /**
   * A field whose manager changes `flips` times within `window` (an HPA against Git's replicas, two
   * controllers) is one record flagged `fight`, notified once; 0 flips: off.
   */
  fight: section({
    flips: int(0, 10_000)
      .refine((n) => n !== 1, { error: 'must be 0 (off) or at least 2' })
      .default(3),
    window: duration().default(600_000),
  }),
});

/**
 * Who made a drift, as a person (agent/audit): the API server's audit events, from its webhook
 * backend (POST /api/v1/audit) or its log file, joined to the writes that caused drift.
 */
const audit = section({
  webhook: bool().default(false),
  /** An audit log (--audit-log-path, JSON lines) the agent can read, e.g. on a control-plane node. */
  log_file: text().optional(),
  /** Audited writes kept for the join (a ring; ~400 bytes each). */
  capacity: int(100, 10_000_000).default(10_000),
  /** How long a detection's Event and notifications wait for its audit event to name the person. */
  wait: duration().default(3000),
});

/** Several replicas, one leader on a coordination.k8s.io Lease (see kube/leader.ts). */
const leaderElection = section({
  enabled: bool().default(false),
  /** Default: the pod's namespace in-cluster, else driftguard. */
  namespace: text().optional(),
  lease_name: text().default('driftguard-agent'),
  /** Default: the host name (the pod name in-cluster). */
  identity: text().optional(),
  lease_duration: duration()
    .refine((ms) => ms >= 1000, { error: 'must be at least 1s' })
    .default(15_000),
  renew_deadline: duration().default(10_000),
  retry_period: duration().default(2_000),
}).superRefine((l, ctx) => {
  if (l.renew_deadline >= l.lease_duration)
    ctx.addIssue({
      code: 'custom',
      path: ['renew_deadline'],
      message: 'must be shorter than lease_duration',
    });
  if (l.retry_period >= l.renew_deadline)
    ctx.addIssue({ code: 'custom', path: ['retry_period'], message: 'must be shorter than renew_deadline' });
});

/**
 * One notification sink. The URL may hold a secret (a Slack webhook token): give it inline, or
 * better from an environment variable (url_env) or a file (url_file); it is never logged.
 */
const sink = section({
  name: text('required (a name for logs and metrics)'),
  type: oneOf(['webhook', 'cloudevents', 'slack']),
  url: text().optional(),
  url_env: text().optional(),
  url_file: text().optional(),
  /** Filters: every one given must match. */
  min_severity: oneOf(['low', 'medium', 'high']).default('low'),
  namespaces: strings().optional(),
  kinds: strings().optional(),
  types: strings().optional(),
  /** Globs on the record's source file (e.g. `apps/*`). */
  sources: strings().optional(),
  events: strings().optional(),
  /** At most one notification per resource this often; what arrives meanwhile is coalesced to the latest. */
  min_interval: duration().default(60_000),
  timeout: duration().default(5000),
  retries: int(0, 100).default(5),
  backoff: duration().default(500),
  /** Pending notifications kept while the sink is down; beyond it the oldest are dropped and counted. */
  queue_size: int(1, 1_000_000).default(1000),
}).refine((s) => [s.url, s.url_env, s.url_file].filter((u) => u !== undefined).length === 1, {
  error: 'needs exactly one of url, url_env, url_file',
});

const notifications = fromEnvAs('yaml', z.array(sink, { error: 'must be a list of sinks' })).default([]);

/** The config file's sections, as written (load.ts walks this shape for env overrides). */
export const configSections = strictMap(
  {
    server,
    logging,
    database,
    kubernetes,
    git,
    sources,
    sources_from: sourcesFrom,
    render,
    drift,
    leader_election: leaderElection,
    notifications,
    audit,
  },
  () => 'the top level must be a map of sections',
  'section',
);

/** The whole config, with the defaults that depend on other keys filled in. */
export const agentConfigSchema = configSections
  .check(
    // Reported beside every other problem (a refinement would be skipped once a key is wrong), so
    // it reads the raw input: a section may not have parsed.
    z.refine(
      (c: { git?: { url?: unknown }; sources?: unknown; sources_from?: unknown }) =>
        Boolean(c?.git?.url) ||
        (Array.isArray(c?.sources) && c.sources.length > 0) ||
        (Array.isArray(c?.sources_from) && c.sources_from.length > 0) ||
        (typeof c?.sources_from === 'string' && c.sources_from !== ''),
      { path: ['git', 'url'], error: GIT_URL_REQUIRED, when: () => true },
    ),
  )
  .superRefine((c, ctx) => {
    // git.url beside sources: is one more source, named default.
    const clash = c.git.url ? (c.sources ?? []).findIndex((s) => s.name === 'default') : -1;
    if (clash >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['sources', clash, 'name'],
        message: 'default is the name of the git: section’s source; pick another (or drop git.url)',
      });
  })
  .transform((c) => ({
    ...c,
    database: {
      ...c.database,
      path:
        c.database.path ??
        (c.kubernetes.in_cluster ? '/var/lib/driftguard/driftguard.db' : './data/driftguard.db'),
    },
  }));

export type AgentConfig = z.output<typeof agentConfigSchema>;
export type ServerConfig = AgentConfig['server'];
export type LoggingConfig = AgentConfig['logging'];
export type DatabaseConfig = AgentConfig['database'];
export type KubernetesConfig = AgentConfig['kubernetes'];
export type GitConfig = AgentConfig['git'];
export type GitAuthConfig = GitConfig['auth'];
export type DriftConfig = AgentConfig['drift'];
export type LeaderElectionConfig = AgentConfig['leader_election'];
export type SourceConfig = NonNullable<AgentConfig['sources']>[number];
export type RenderConfig = AgentConfig['render'];
export type HelmRepositoryConfig = RenderConfig['helm']['repositories'][number];
export type SinkConfig = AgentConfig['notifications'][number];
export type AuditConfig = AgentConfig['audit'];
