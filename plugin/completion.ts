// Shell completion for kubectl's plugin completion protocol (kubectl 1.26+): kubectl runs
// `kubectl_complete-driftguard <args after "driftguard"…> <word being completed>` and expects
// cobra's __complete format: one candidate per line (optionally `value\tdescription`), then a
// last line `:<directive>`. Resource ids come from the agent when it answers quickly; any failure
// there just means no candidates, never an error on the user's prompt.
import { SOURCE_TYPES } from '../shared/node/render/types.ts';
import { Command } from 'commander';
import { parseResourceId, SEVERITIES } from '../shared/types.ts';
import { buildProgram } from './cli/program.ts';
import type { Io } from './cli/io.ts';
import type { GlobalFlags } from './cli/options.ts';
import {
  DEFAULT_AGENT_NAMESPACE,
  DEFAULT_AGENT_PORT,
  DEFAULT_AGENT_SELECTOR,
  OUTPUT_FORMATS,
} from './cli/options.ts';
import { withClient } from './connect/connect.ts';
import { loadKubeConfig } from './kube/config.ts';
import { waiverScopeText } from './output/waiver-rows.ts';

/** cobra's ShellCompDirective bits. */
export const DIRECTIVE = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

export interface Completion {
  candidates: string[];
  directive: number;
}

type Lookup = (flags: GlobalFlags) => Promise<string[]>;

export interface CompletionSources {
  resourceIds: Lookup;
  contexts: Lookup;
  /** Waivers in force, as `id\tdescription` (what unwaive takes). */
  waiverIds: Lookup;
}

const SILENT_IO: Io = {
  stdout: { write: () => true } as unknown as Io['stdout'],
  stderr: { write: () => true } as unknown as Io['stderr'],
  stdinIsTTY: false,
  env: process.env,
};

function flagNames(cmd: Command): { name: string; takesValue: boolean; description: string }[] {
  return cmd.options.flatMap((o) => {
    const takesValue = o.required || o.optional;
    return [o.long, o.short]
      .filter((n): n is string => !!n)
      .map((name) => ({ name, takesValue, description: o.description }));
  });
}

function parseSeen(
  args: string[],
  program: Command,
): { sub: Command | undefined; flags: Partial<GlobalFlags>; positionals: string[] } {
  let sub: Command | undefined;
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  const all = () => [...flagNames(program), ...(sub ? flagNames(sub) : [])];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('-')) {
      // Split at the first '=' only: a value may hold more (--agent-url=http://h/?a=b).
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      const f = all().find((x) => x.name === name);
      if (f?.takesValue) {
        const value = inline ?? args[++i] ?? '';
        flags[name.replace(/^-+/, '')] = value;
      }
      continue;
    }
    if (!sub) sub = program.commands.find((c) => c.name() === a);
    else positionals.push(a);
  }
  return {
    sub,
    positionals,
    flags: {
      kubeconfig: flags['kubeconfig'],
      context: flags['context'],
      agentUrl: flags['agent-url'],
      agentNamespace: flags['agent-namespace'] ?? DEFAULT_AGENT_NAMESPACE,
      agentSelector: flags['agent-selector'] ?? DEFAULT_AGENT_SELECTOR,
      agentPort: Number(flags['agent-port'] ?? DEFAULT_AGENT_PORT),
      namespace: flags['namespace'] ?? flags['n'],
    },
  };
}

const FILE_FLAGS = new Set(['--kubeconfig', '--repo', '--path', '--helm-values']);

export async function completions(
  args: string[],
  sources: CompletionSources = defaultSources(),
): Promise<Completion> {
  const program = buildProgram(SILENT_IO, () => undefined);
  const toComplete = args[args.length - 1] ?? '';
  const before = args.slice(0, -1);
  const { sub, flags, positionals } = parseSeen(before, program);
  const known = [...flagNames(program), ...(sub ? flagNames(sub) : [])];
  const prev = before[before.length - 1];
  const prevFlag =
    prev?.startsWith('-') && !prev.includes('=') ? known.find((f) => f.name === prev) : undefined;
  const match = (xs: string[]): string[] => xs.filter((x) => x.split('\t')[0]?.startsWith(toComplete));

  if (prevFlag?.takesValue) {
    if (FILE_FLAGS.has(prevFlag.name)) return { candidates: [], directive: DIRECTIVE.default };
    if (prevFlag.name === '-n' || prevFlag.name === '--namespace' || prevFlag.name === '--agent-namespace') {
      const ids =
        prevFlag.name === '--agent-namespace'
          ? []
          : await sources.resourceIds(flags as GlobalFlags).catch(() => []);
      return { candidates: match(namespacesOf(ids)), directive: DIRECTIVE.noFileComp };
    }
    if (prevFlag.name === '-o' || prevFlag.name === '--output')
      return { candidates: match([...OUTPUT_FORMATS]), directive: DIRECTIVE.noFileComp };
    if (prevFlag.name === '--type')
      return { candidates: match([...SOURCE_TYPES]), directive: DIRECTIVE.noFileComp };
    if (prevFlag.name === '--severity')
      return { candidates: match([...SEVERITIES]), directive: DIRECTIVE.noFileComp };
    if (prevFlag.name === '--context')
      return {
        candidates: match(await sources.contexts(flags as GlobalFlags).catch(() => [])),
        directive: DIRECTIVE.noFileComp,
      };
    return { candidates: [], directive: DIRECTIVE.noFileComp };
  }
  if (toComplete.startsWith('-')) {
    return {
      candidates: match(
        known.filter((f) => f.name.startsWith('--')).map((f) => `${f.name}\t${f.description}`),
      ),
      directive: DIRECTIVE.noFileComp,
    };
  }
  if (!sub) {
    return {
      candidates: match(program.commands.map((c) => `${c.name()}\t${c.description()}`)),
      directive: DIRECTIVE.noFileComp,
    };
  }
  if (sub.name() === 'unwaive')
    return {
      candidates: match(await sources.waiverIds(flags as GlobalFlags).catch(() => [])),
      directive: DIRECTIVE.noFileComp,
    };
  if (
    ['get', 'describe', 'diff', 'revert', 'adopt', 'waive', 'ignore'].includes(sub.name()) &&
    positionals.length === 0
  ) {
    const ids = await sources.resourceIds(flags as GlobalFlags).catch(() => []);
    return {
      candidates: match(resourceNames(ids, toComplete, flags.namespace)),
      directive: DIRECTIVE.noFileComp,
    };
  }
  return { candidates: [], directive: DIRECTIVE.noFileComp };
}

/** The namespaces records live in (cluster-scoped ones have none). */
function namespacesOf(ids: readonly string[]): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    const p = parseResourceId(id);
    if (p?.namespace) out.add(p.namespace);
  }
  return [...out].sort();
}

/**
 * Names as the user types them: `deployment/web` when -n names the namespace (kubectl's habit),
 * else `Deployment/shop/web` (what get and status print); the API id once a `:` is typed.
 */
function resourceNames(ids: readonly string[], typed: string, namespace: string | undefined): string[] {
  if (typed.includes(':')) return [...ids];
  const out: string[] = [];
  for (const id of ids) {
    const p = parseResourceId(id);
    if (!p) continue;
    if (namespace !== undefined) {
      if (p.namespace === namespace || p.namespace === '') out.push(`${p.kind.toLowerCase()}/${p.name}`);
    } else out.push(p.namespace ? `${p.kind}/${p.namespace}/${p.name}` : `${p.kind}/${p.name}`);
  }
  return out;
}

export function defaultSources(): CompletionSources {
  return {
    contexts: async (flags) =>
      loadKubeConfig({ kubeconfig: flags.kubeconfig })
        .getContexts()
        .map((c) => c.name),
    resourceIds: (flags) =>
      withClient(flags, process.env, { timeoutMs: 2000, requestTimeoutMs: 2000 }, async (client) => {
        const list = await client.records({ limit: 1000 });
        return list.drift_records.map((r) => r.resource_id);
      }),
    waiverIds: (flags) =>
      withClient(flags, process.env, { timeoutMs: 2000, requestTimeoutMs: 2000 }, async (client) => {
        const list = await client.waivers();
        return list.waivers
          .filter((w) => w.state === 'active')
          .map(
            (w) => `${w.id}\t${waiverScopeText(w)}${w.scope.field ? ` ${w.scope.field}` : ''}: ${w.reason}`,
          );
      }),
  };
}

export function formatCompletion(c: Completion): string {
  return [...c.candidates, `:${c.directive}`].join('\n') + '\n';
}
