// Reads the config file, applies DRIFTGUARD_* environment overrides and validates everything at
// once, so a wrong config is reported in full (one message per wrong key) before the agent starts.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { validateRules } from '../../shared/engine/options.ts';
import { unknownKinds } from '../kube/kinds.ts';
import { SCHEMA, type AgentConfig, type FieldSpec } from './schema.ts';
import { parseDuration, parseSize } from './units.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return JSON.stringify(v);
}

/** The environment variable that overrides `section.key[.sub]`. */
export function envName(path: string[]): string {
  return `DRIFTGUARD_${path.join('_').toUpperCase()}`;
}

function fromEnvText(spec: FieldSpec, text: string): unknown {
  switch (spec.type) {
    case 'int':
      return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return true;
      if (['false', '0', 'no', 'off'].includes(t)) return false;
      return text;
    }
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'any':
      return parseDocument(text).toJS() as unknown;
    default:
      return text;
  }
}

/** Checks one value against its spec: the typed value, or a problem message. */
function coerce(spec: FieldSpec, value: unknown): { value: unknown } | { problem: string } {
  const bad = (expected: string) => ({ problem: `${expected} (got ${describe(value)})` });
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number'
        ? { value: String(value) }
        : bad('must be a string');
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max
        ? { value }
        : bad(`must be an integer from ${spec.min} to ${spec.max}`);
    case 'bool':
      return typeof value === 'boolean' ? { value } : bad('must be true or false');
    case 'duration': {
      const ms = parseDuration(value);
      return ms === null ? bad('must be a duration such as "500ms", "30s" or "2m"') : { value: ms };
    }
    case 'size': {
      const bytes = parseSize(value);
      return bytes === null ? bad('must be a size such as "1mb" or "512kb"') : { value: bytes };
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? { value }
        : bad(`must be one of ${spec.values.join(', ')}`);
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? { value }
        : bad('must be a list of strings');
    case 'any':
      return { value };
    case 'section':
      return isMap(value) ? { value } : bad('must be a map');
  }
}

function defaultOf(spec: FieldSpec): unknown {
  if (spec.type === 'any' || spec.type === 'section') return undefined;
  return 'default' in spec && spec.default !== undefined
    ? Array.isArray(spec.default)
      ? [...spec.default]
      : spec.default
    : undefined;
}

/** Validates one section (or sub-section) of the file with its env overrides. */
function readSection(
  fields: Record<string, FieldSpec>,
  raw: unknown,
  path: string[],
  env: NodeJS.ProcessEnv,
  problems: string[],
): Raw {
  const out: Raw = {};
  const given: Raw = isMap(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isMap(raw))
    problems.push(`${path.join('.')}: must be a map (got ${describe(raw)})`);
  for (const key of Object.keys(given)) {
    if (!(key in fields))
      problems.push(
        `${[...path, key].join('.')}: unknown key (expected one of ${Object.keys(fields).join(', ')})`,
      );
  }
  for (const [key, spec] of Object.entries(fields)) {
    const keyPath = [...path, key];
    if (spec.type === 'section') {
      out[key] = readSection(spec.fields, given[key], keyPath, env, problems);
      continue;
    }
    const name = envName(keyPath);
    const envText = env[name];
    const fromEnv = envText !== undefined;
    const value = fromEnv ? fromEnvText(spec, envText) : given[key];
    if (value === undefined || value === null) {
      out[key] = defaultOf(spec);
      continue;
    }
    const result = coerce(spec, value);
    if ('problem' in result)
      problems.push(`${keyPath.join('.')}: ${result.problem}${fromEnv ? ` (from ${name})` : ''}`);
    else out[key] = result.value;
  }
  return out;
}

/** DRIFTGUARD_<SECTION>_* variables that name no key are typos worth reporting. */
function unknownEnv(env: NodeJS.ProcessEnv): string[] {
  const known = new Set<string>();
  const collect = (fields: Record<string, FieldSpec>, path: string[]) => {
    for (const [key, spec] of Object.entries(fields)) {
      if (spec.type === 'section') collect(spec.fields, [...path, key]);
      else known.add(envName([...path, key]));
    }
  };
  for (const [section, fields] of Object.entries(SCHEMA)) collect(fields, [section]);
  const prefixes = Object.keys(SCHEMA).map((s) => envName([s]) + '_');
  return Object.keys(env)
    .filter((name) => prefixes.some((p) => name.startsWith(p)) && !known.has(name))
    .map((name) => `${name}: unknown setting (no such config key)`);
}

function crossChecks(config: AgentConfig, problems: string[]): void {
  if (!config.git.url)
    problems.push(`git.url: required (a remote URL or a local path; or set ${envName(['git', 'url'])})`);
  const auth = config.git.auth;
  if (auth.token_env && auth.token_file) problems.push('git.auth: set token_env or token_file, not both');
  if (auth.password_env && auth.password_file)
    problems.push('git.auth: set password_env or password_file, not both');
  if ((auth.password_env || auth.password_file) && !auth.username)
    problems.push('git.auth.username: required with a password');
  if (config.kubernetes.kubeconfig && config.kubernetes.in_cluster)
    problems.push('kubernetes: set kubeconfig or in_cluster, not both');
  if (config.database.uri && config.database.host) problems.push('database: set uri or host, not both');
  if (config.database.uri && !/^mongodb(\+srv)?:\/\//.test(config.database.uri))
    problems.push('database.uri: must start with mongodb:// or mongodb+srv://');
  if (config.drift.interval < 1000) problems.push('drift.interval: must be at least 1s');
  const ports = [config.server.port, config.server.health_port];
  if (
    ports.every((p) => typeof p === 'number' && p !== 0) &&
    config.server.port === config.server.health_port &&
    config.server.address === config.server.health_address
  ) {
    problems.push('server.health_port: must differ from server.port');
  }
  if (Array.isArray(config.kubernetes.resource_types))
    problems.push(...unknownKinds(config.kubernetes.resource_types));
  const { errors } = validateRules(config.drift.rules);
  for (const e of errors) problems.push(`drift.${e}`);
}

function parseYaml(text: string, file: string, problems: string[]): Raw {
  const doc = parseDocument(text, { prettyErrors: true });
  // The first YAML error is the useful one; the rest usually follow from it.
  for (const err of doc.errors.slice(0, 1)) {
    const line = err.linePos?.[0]?.line;
    problems.push(`${file}${line ? `:${line}` : ''}: ${err.message.split('\n')[0]}`);
  }
  if (doc.errors.length > 0) return {};
  const js = doc.toJS() as unknown;
  if (js === null || js === undefined) return {};
  if (!isMap(js)) {
    problems.push(`${file}: the top level must be a map of sections (${Object.keys(SCHEMA).join(', ')})`);
    return {};
  }
  return js;
}

/** Parses config text (the file's content, possibly empty) plus the environment. Throws ConfigError. */
export function parseConfig(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
  file = 'config',
): AgentConfig {
  const problems: string[] = [];
  const raw = parseYaml(text, file, problems);
  for (const section of Object.keys(raw)) {
    if (!(section in SCHEMA))
      problems.push(`${section}: unknown section (expected one of ${Object.keys(SCHEMA).join(', ')})`);
  }
  const out: Raw = {};
  for (const [section, fields] of Object.entries(SCHEMA))
    out[section] = readSection(fields, raw[section], [section], env, problems);
  problems.push(...unknownEnv(env));
  // Every field was checked against SCHEMA above, whose shapes mirror AgentConfig.
  const config = out as unknown as AgentConfig;
  if (config.database.path === undefined) {
    config.database.path = config.kubernetes.in_cluster
      ? '/var/lib/driftguard/driftguard.db'
      : './data/driftguard.db';
  }
  crossChecks(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads and parses the config file at `file` (absent `file`: environment and defaults only). */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  if (file === undefined) return parseConfig('', env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    ]);
  }
  return parseConfig(text, env, file);
}
