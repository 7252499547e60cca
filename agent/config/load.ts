// Reads the config file, applies DRIFTGUARD_* environment overrides and validates everything at
// once against the schema (schema.ts), so a wrong config is reported in full (one message per wrong
// key, each with its path) before the agent starts.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { issueEntries, keyPath } from '../../shared/schema.ts';
import { envKindOf, envName, sectionOf, type EnvKind } from './fields.ts';
import { agentConfigSchema, configSections, type AgentConfig } from './schema.ts';

export { envName };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function fromEnvText(kind: EnvKind, text: string): unknown {
  switch (kind) {
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
    case 'yaml':
      return parseDocument(text).toJS() as unknown;
    case 'text':
      return text;
  }
}

/**
 * The file's values with the environment laid over them, one key at a time as the schema declares
 * them. A YAML `null` means "the default", like a missing key. Records which keys came from which
 * variable, so a wrong value names the variable it came from.
 */
function overlay(
  schema: z.ZodObject,
  given: unknown,
  path: string[],
  env: NodeJS.ProcessEnv,
  from: Map<string, string>,
) {
  if (given !== undefined && given !== null && !isMap(given)) return given; // the schema says "must be a map"
  const out: Raw = { ...given };
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const at = [...path, key];
    const sub = sectionOf(field);
    if (sub) {
      // The old spelling of the whole key (DRIFTGUARD_RENDER_HELM=/usr/bin/helm) still means its shorthand.
      const whole = sub.key ? env[envName(at)] : undefined;
      if (whole !== undefined && sub.key) from.set(keyPath([...at, sub.key]), envName(at));
      const given = whole ?? out[key];
      out[key] = overlay(
        sub.section,
        sub.key && typeof given === 'string' ? { [sub.key]: given } : given,
        at,
        env,
        from,
      );
      continue;
    }
    const name = envName(at);
    const text = env[name];
    if (text !== undefined) {
      out[key] = fromEnvText(envKindOf(field), text);
      from.set(keyPath(at), name);
    } else out[key] = out[key] ?? undefined;
  }
  return out;
}

/** Every DRIFTGUARD_* variable a key of the schema reads. */
function envNames(schema: z.ZodObject, path: string[], into = new Set<string>()): Set<string> {
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const sub = sectionOf(field);
    if (sub) {
      envNames(sub.section, [...path, key], into);
      if (sub.key) into.add(envName([...path, key]));
    } else into.add(envName([...path, key]));
  }
  return into;
}

/**
 * The variables the config names as where a secret comes from (`password_env`, `url_env`, ...):
 * values the agent reads, not settings, even when they are spelled DRIFTGUARD_<SECTION>_* (the
 * shipped manifests pass the Git token as DRIFTGUARD_GIT_TOKEN).
 */
function referencedEnv(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencedEnv(v, into);
  else if (isMap(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('_env') && typeof v === 'string') into.add(v);
      else referencedEnv(v, into);
    }
  }
  return into;
}

/** DRIFTGUARD_<SECTION>_* variables that name no key (nor a secret's source) are typos worth reporting. */
function unknownEnv(env: NodeJS.ProcessEnv, referenced: Set<string>): string[] {
  const known = new Set([...envNames(configSections, []), ...referenced]);
  const prefixes = Object.keys(configSections.shape).map((s) => envName([s]) + '_');
  return Object.keys(env)
    .filter((name) => prefixes.some((p) => name.startsWith(p)) && !known.has(name))
    .map((name) => `${name}: unknown setting (no such config key)`);
}

/** One message per problem, each starting with the key's path; a value from the environment names its variable. */
function messages(issue: z.core.$ZodIssue, from: Map<string, string>): string[] {
  return issueEntries(issue).map(({ path, message }) => {
    const name = from.get(keyPath(path));
    return `${keyPath(path)}: ${message}${name ? ` (from ${name})` : ''}`;
  });
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
    const sections = Object.keys(configSections.shape).join(', ');
    problems.push(`${file}: the top level must be a map of sections (${sections})`);
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
  const from = new Map<string, string>();
  const input = overlay(configSections, parseYaml(text, file, problems), [], env, from);
  problems.push(...unknownEnv(env, referencedEnv(input)));
  const result = agentConfigSchema.safeParse(input);
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => messages(issue, from)));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
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
