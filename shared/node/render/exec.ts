// Runs one renderer process: no shell, a clean environment of its own (temporary HOME, HELM_* and
// XDG_* directories, an empty kubeconfig, none of the agent's cluster credentials), a time limit and
// an output-size limit. With the network off, HTTP(S) goes to a dead proxy and git may not clone.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RenderError } from './errors.ts';

export const DEFAULT_TIMEOUT_MS = 90_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface RunLimits {
  timeoutMs: number;
  maxOutputBytes: number;
  /** Let the tool reach the network (remote bases, chart pulls); off by default. */
  network: boolean;
}

/** The environment a renderer gets: nothing of ours but PATH, everything else in `tmp`. */
export function toolEnvironment(tmp: string, network: boolean): NodeJS.ProcessEnv {
  const dir = (name: string): string => {
    const d = join(tmp, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const kubeconfig = join(tmp, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir('home'),
    TMPDIR: dir('tmp'),
    XDG_CACHE_HOME: dir('xdg-cache'),
    XDG_CONFIG_HOME: dir('xdg-config'),
    XDG_DATA_HOME: dir('xdg-data'),
    HELM_CACHE_HOME: dir('helm-cache'),
    HELM_CONFIG_HOME: dir('helm-config'),
    HELM_DATA_HOME: dir('helm-data'),
    HELM_PLUGINS: dir('helm-plugins'),
    HELM_REGISTRY_CONFIG: join(tmp, 'helm-config', 'registry.json'),
    HELM_REPOSITORY_CONFIG: join(tmp, 'helm-config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(tmp, 'helm-cache', 'repository'),
    KUBECONFIG: kubeconfig,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  if (!network) {
    // Go's HTTP client honours these; a closed port makes every fetch fail at once.
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY'])
      env[k] = 'http://127.0.0.1:9';
    env['NO_PROXY'] = '';
    env['no_proxy'] = '';
    env['GIT_ALLOW_PROTOCOL'] = 'none';
  }
  return env;
}

/** Removes temp paths and secret values from a tool's message, and keeps it short. */
export function sanitize(text: string, paths: string[], secrets: string[]): string {
  let out = text;
  for (const p of [...paths].sort((a, b) => b.length - a.length))
    if (p) out = out.split(`${p}/`).join('').split(p).join('.');
  for (const s of [...secrets].sort((a, b) => b.length - a.length))
    if (s.length >= 3) out = out.split(s).join('***');
  // One line: the agent logs it as a field, the plugin prints it as one `error:` line.
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (lines.length > 8 ? [...lines.slice(0, 8), `… (${lines.length - 8} more lines)`] : lines).join(' ');
}

export interface ToolRun {
  tool: string;
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  limits: RunLimits;
  /** Paths and values to scrub from error messages. */
  scrubPaths: string[];
  scrubSecrets: string[];
}

export function runTool(run: ToolRun): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      run.file,
      run.args,
      {
        cwd: run.cwd,
        env: run.env,
        timeout: run.limits.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: run.limits.maxOutputBytes,
        encoding: 'utf8',
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return reject(
            new RenderError(
              'output',
              `${run.tool}: output over the ${run.limits.maxOutputBytes}-byte limit; stopped`,
            ),
          );
        if (e.killed || e.signal === 'SIGKILL')
          return reject(
            new RenderError(
              'timeout',
              `${run.tool}: did not finish within ${run.limits.timeoutMs / 1000} s; stopped`,
            ),
          );
        if (e.code === 'ENOENT')
          return reject(new RenderError('tool', `${run.tool}: not found at ${run.file}`));
        const code = typeof e.code === 'number' ? e.code : null;
        const why = sanitize(String(stderr || e.message), run.scrubPaths, run.scrubSecrets);
        reject(new RenderError('tool', `${run.tool} failed (exit ${code ?? '?'}): ${why}`, code));
      },
    );
  });
}
