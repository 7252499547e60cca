// What the agent's config file may hold: every section, key, type and default in one table, so
// parsing, DRIFTGUARD_* overrides, validation messages and the example file all agree.
// Keys are snake_case as in the YAML; durations are parsed to milliseconds, sizes to bytes.

export type FieldSpec =
  | { type: 'string'; default?: string }
  | { type: 'int'; min: number; max: number; default?: number }
  | { type: 'bool'; default: boolean }
  | { type: 'duration'; default?: number }
  | { type: 'size'; default: number }
  | { type: 'enum'; values: readonly string[]; default: string }
  | { type: 'list'; default: readonly string[] }
  /** Free-form YAML handed to another validator (the engine's validateRules). */
  | { type: 'any' }
  | { type: 'section'; fields: Record<string, FieldSpec> };

export const DEFAULT_RESOURCE_TYPES = ['Deployment', 'Service', 'ConfigMap', 'Secret'] as const;
export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

const port = (def?: number): FieldSpec => ({
  type: 'int',
  min: 0,
  max: 65535,
  ...(def === undefined ? {} : { default: def }),
});

export const SCHEMA: Record<string, Record<string, FieldSpec>> = {
  server: {
    port: port(8080),
    address: { type: 'string', default: '127.0.0.1' },
    health_port: port(8081),
    health_address: { type: 'string', default: '0.0.0.0' },
    read_timeout: { type: 'duration', default: 30_000 },
    write_timeout: { type: 'duration', default: 30_000 },
    idle_timeout: { type: 'duration', default: 120_000 },
    body_limit: { type: 'size', default: 1024 * 1024 },
  },
  logging: {
    level: {
      type: 'enum',
      values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      default: 'info',
    },
    format: { type: 'enum', values: ['json', 'pretty'], default: 'json' },
  },
  database: {
    uri: { type: 'string' },
    host: { type: 'string' },
    port: port(27017),
    name: { type: 'string', default: 'driftguard' },
    connect_timeout: { type: 'duration', default: 10_000 },
    path: { type: 'string' },
  },
  kubernetes: {
    kubeconfig: { type: 'string' },
    in_cluster: { type: 'bool', default: false },
    context: { type: 'string' },
    namespaces: { type: 'list', default: [] },
    resource_types: { type: 'list', default: DEFAULT_RESOURCE_TYPES },
    exclude_system_namespaces: { type: 'bool', default: true },
    system_namespaces: { type: 'list', default: DEFAULT_SYSTEM_NAMESPACES },
    watchdog_timeout: { type: 'duration', default: 120_000 },
  },
  git: {
    url: { type: 'string' },
    branch: { type: 'string', default: 'main' },
    path: { type: 'string', default: '' },
    work_dir: { type: 'string' },
    clone_timeout: { type: 'duration', default: 120_000 },
    pull_timeout: { type: 'duration', default: 60_000 },
    auth: {
      type: 'section',
      fields: {
        token_env: { type: 'string' },
        token_file: { type: 'string' },
        username: { type: 'string' },
        password_env: { type: 'string' },
        password_file: { type: 'string' },
        ssh_key_file: { type: 'string' },
      },
    },
  },
  drift: {
    interval: { type: 'duration', default: 30_000 },
    periodic: { type: 'bool', default: true },
    watch: { type: 'bool', default: true },
    rules: { type: 'any' },
    secret_salt: { type: 'string' },
  },
};

export interface ServerConfig {
  port: number;
  address: string;
  health_port: number;
  health_address: string;
  read_timeout: number;
  write_timeout: number;
  idle_timeout: number;
  body_limit: number;
}

export interface LoggingConfig {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  format: 'json' | 'pretty';
}

/** MongoDB when `uri` (or `host`) is set, otherwise the embedded store at `path`. */
export interface DatabaseConfig {
  uri?: string;
  host?: string;
  port: number;
  name: string;
  connect_timeout: number;
  path: string;
}

export interface KubernetesConfig {
  kubeconfig?: string;
  in_cluster: boolean;
  context?: string;
  namespaces: string[];
  resource_types: string[];
  exclude_system_namespaces: boolean;
  system_namespaces: string[];
  /** A watch with no event nor reconnect for this long is restarted. */
  watchdog_timeout: number;
}

export interface GitAuthConfig {
  token_env?: string;
  token_file?: string;
  username?: string;
  password_env?: string;
  password_file?: string;
  ssh_key_file?: string;
}

export interface GitConfig {
  url: string;
  branch: string;
  path: string;
  /** Where the clone lives; default: a `git` folder beside the embedded database, or a temp dir. */
  work_dir?: string;
  clone_timeout: number;
  pull_timeout: number;
  auth: GitAuthConfig;
}

export interface DriftConfig {
  interval: number;
  periodic: boolean;
  watch: boolean;
  rules?: unknown;
  secret_salt?: string;
}

export interface AgentConfig {
  server: ServerConfig;
  logging: LoggingConfig;
  database: DatabaseConfig;
  kubernetes: KubernetesConfig;
  git: GitConfig;
  drift: DriftConfig;
}
