// Credentials for git, passed through the environment of the git process only: an
// `http.extraHeader` via GIT_CONFIG_* (never in the URL, argv or logs), an SSH key via
// GIT_SSH_COMMAND. Prompts are off so a wrong credential fails instead of hanging.
import { readFileSync } from 'node:fs';
import type { GitAuthConfig } from '../config/schema.ts';

export interface GitEnv {
  env: Record<string, string>;
  /** The GIT_* names simple-git must let through. */
  allow: string[];
}

function secret(
  envName: string | undefined,
  file: string | undefined,
  what: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (envName) {
    const v = env[envName];
    if (v === undefined || v === '')
      throw new Error(`git.auth.${what}_env: environment variable ${envName} is not set`);
    return v;
  }
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new Error(
        `git.auth.${what}_file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        { cause: err },
      );
    }
  }
  return undefined;
}

/** Only these transports: `ext::` and friends would run commands named by the URL. */
const ALLOWED_PROTOCOLS = 'file:http:https:ssh:git';

export function gitEnvironment(
  url: string,
  auth: GitAuthConfig,
  env: NodeJS.ProcessEnv = process.env,
): GitEnv {
  const out: Record<string, string> = {
    PATH: env['PATH'] ?? '/usr/bin:/bin',
    HOME: env['HOME'] ?? '/tmp',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS,
  };
  const token = secret(auth.token_env, auth.token_file, 'token', env);
  const password = secret(auth.password_env, auth.password_file, 'password', env);
  const credential = token ?? password;
  if (credential !== undefined && /^https?:/i.test(url)) {
    const user = auth.username ?? 'x-access-token';
    out['GIT_CONFIG_COUNT'] = '1';
    out['GIT_CONFIG_KEY_0'] = 'http.extraHeader';
    out['GIT_CONFIG_VALUE_0'] =
      `Authorization: Basic ${Buffer.from(`${user}:${credential}`).toString('base64')}`;
  }
  if (auth.ssh_key_file) {
    out['GIT_SSH_COMMAND'] =
      `ssh -i '${auth.ssh_key_file.replaceAll("'", "'\\''")}' -o IdentitiesOnly=yes -o BatchMode=yes`;
  }
  return { env: out, allow: Object.keys(out).filter((k) => k.startsWith('GIT_')) };
}

/** The URL for logs: any user:password@ part replaced. */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
