// The `:` command line (k9s's): what each command does to the browser's state, and feedback for a
// command it does not know. The commands themselves are data (keymap.ts COLON_COMMANDS).
import { ALL_CLUSTERS } from '../../../shared/api/query.ts';
import { DNS_LABEL } from '../../../shared/types.ts';
import { kindFromAlias, knownKinds, suggestKind } from '../../kube/kinds.ts';
import { COLON_COMMANDS, colonCommand } from './keymap.ts';
import { SORT_KEYS, type SortKey } from './list.ts';
import { ROOT, type NavStack } from './nav.ts';

/** The part of the browser's state (ui-state.ts UiState) a `:` command changes. */
interface ColonFields {
  quit: boolean;
  overlay: 'none' | 'help' | 'picker' | 'waivers';
  mode: 'active' | 'resolved' | 'waived';
  namespace: string | null;
  cluster: string | null;
  kind: string | null;
  source: string | null;
  sort: SortKey;
  stack: NavStack;
  cursor: number;
  message: { text: string; ok: boolean } | null;
}

const fail = <S extends ColonFields>(s: S, text: string): S => ({ ...s, message: { text, ok: false } });
const done = <S extends ColonFields>(s: S, text: string): S => ({
  ...s,
  cursor: 0,
  message: { text, ok: true },
});

/** `deploy`, `deployments.apps`, `Deployment` → Deployment; a CRD kind passes as typed (capitalised). */
function kindOf(arg: string): string | null {
  const name = arg.split('.')[0] ?? arg;
  const known = kindFromAlias(name) ?? knownKinds().find((k) => k.toLowerCase() === name.toLowerCase());
  if (known) return known;
  return /^[A-Z][A-Za-z0-9]*$/.test(name) ? name : null;
}

export function runColon<S extends ColonFields>(s: S, line: string): S {
  const [name = '', ...args] = line.trim().split(/\s+/);
  if (name === '') return s;
  const cmd = colonCommand(name);
  const arg = args.join(' ');
  if (!cmd) {
    const known = COLON_COMMANDS.map((c) => c.usage).join(', ');
    return fail(s, `unknown command :${name} (commands: ${known})`);
  }
  const all = arg === '' || arg === 'all' || arg === '-A';
  switch (cmd.names[0]) {
    case 'q':
      return { ...s, quit: true };
    case 'help':
      return { ...s, overlay: 'help' };
    case 'waivers':
      return { ...s, overlay: 'waivers' };
    case 'active':
    case 'resolved':
    case 'waived':
      return done({ ...s, mode: cmd.names[0], stack: ROOT }, `showing ${cmd.names[0]} drifts`);
    case 'ns':
      return done(
        { ...s, namespace: all ? null : arg, stack: ROOT },
        all ? 'every namespace' : `namespace ${arg}`,
      );
    case 'cluster':
      return clusterChoice(s, arg);
    case 'source':
      return done({ ...s, source: all ? null : arg, stack: ROOT }, all ? 'every source' : `source ${arg}`);
    case 'sort':
      if (!(SORT_KEYS as readonly string[]).includes(arg))
        return fail(s, `:sort ${arg}: expected ${SORT_KEYS.join(', ')}`);
      return done({ ...s, sort: arg as SortKey }, `sorted by ${arg}`);
    case 'kind': {
      if (all) return done({ ...s, kind: null, stack: ROOT }, 'every kind');
      const kind = kindOf(arg);
      if (!kind) {
        const near = suggestKind(arg);
        return fail(s, `:kind ${arg}: unknown kind${near ? ` (did you mean ${near}?)` : ''}`);
      }
      return done({ ...s, kind, stack: ROOT }, `kind ${kind}`);
    }
    default:
      return fail(s, `:${name} is not available here`);
  }
}

/** `:cluster` alone: the agent's own; `all`, `*` or `-A`: every cluster; else one by name. */
function clusterChoice<S extends ColonFields>(s: S, arg: string): S {
  if (arg === '') return done({ ...s, cluster: null, stack: ROOT }, "the agent's own cluster");
  if (arg === 'all' || arg === ALL_CLUSTERS || arg === '-A')
    return done({ ...s, cluster: ALL_CLUSTERS, stack: ROOT }, 'every cluster');
  if (!DNS_LABEL.test(arg)) return fail(s, `:cluster ${arg}: expected a cluster name (a DNS label) or all`);
  return done({ ...s, cluster: arg, stack: ROOT }, `cluster ${arg}`);
}
