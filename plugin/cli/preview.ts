// `preview`: what merging a change would do to the live cluster. Both revisions are rendered as
// `analyze --local` renders (plain, Kustomize, Helm), the live objects are read with the user's
// kubeconfig (read-only: get/list), and the engine says per object what would change live and which
// live drifts would be overwritten. `-o markdown` is a pull-request comment.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { previewChange, type Preview } from '../../shared/engine/preview.ts';
import { RenderError, SOURCE_TYPES, type SourceType } from '../../shared/node/render/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import { CliError, EXIT_DRIFT, EXIT_OK } from '../errors.ts';
import { out, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter, type GlobalFlags } from './options.ts';
import { contextNamespace, loadKubeConfig } from '../kube/config.ts';
import { loadLocal, type LocalState } from '../local/analyze-local.ts';
import { isRepoUrl } from '../local/repo.ts';
import { toJson, toYaml } from '../output/serialize.ts';
import { previewMarkdown } from '../preview/markdown.ts';
import { defaultBase, extract, workingTree, type Revision } from '../preview/revisions.ts';
import { previewText } from '../preview/text.ts';

interface PreviewFlags {
  repo?: string;
  base?: string;
  head?: string;
  path?: string;
  type?: SourceType;
  helmValues: string[];
  release?: string;
  exitCode?: boolean;
}

const HELP = `
Renders the base and head revisions of --repo (a Git checkout; default the current directory) the way
analyze --local does, reads the live objects with your kubeconfig (get and list only: a read-only
kubeconfig is enough), and reports for each object the change adds, modifies or prunes:
  what applying it would change in the live cluster (head vs live), and
  which live drifts it would overwrite (fields where live differs from base and head differs from live).
--base defaults to the merge-base of HEAD with the default branch, --head to the working tree.
-o markdown writes a pull-request comment (a summary line, then a collapsed section per object;
Secret values are redacted); -o json and -o yaml print the report.

Exit codes: 0 no object changes (or changes without --exit-code), 1 changes with --exit-code, 2 error.`;

function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

function sourceType(v: string): SourceType {
  if (!(SOURCE_TYPES as readonly string[]).includes(v))
    throw new CliError(`--type ${v}: expected one of ${SOURCE_TYPES.join(', ')}`);
  return v as SourceType;
}

export function registerPreview(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('preview')
    .description(
      'what merging a change in Git would do to the live cluster, and which live drifts it overwrites',
    )
    .option('--repo <dir>', 'your checkout (default: the current directory)')
    .option(
      '--base <ref>',
      'the revision the change starts from (default: merge-base with the default branch)',
    )
    .option('--head <ref>', 'the changed revision (default: the working tree)')
    .option('--path <dir>', 'subdirectory of the repository holding the manifests')
    .option('--type <type>', `how to read --path: ${SOURCE_TYPES.join(', ')}`, sourceType)
    .option('--helm-values <file>', 'values file for helm, repeatable', collect, [])
    .option('--release <name>', "helm release name (default the chart's name)")
    .option('--exit-code', 'exit 1 when the change changes any object')
    .addHelpText('after', HELP)
    .action(async (opts: PreviewFlags, cmd: Command) => {
      setExit(await runPreview(globalFlags(cmd), opts, io));
    });
}

async function load(
  flags: GlobalFlags,
  opts: PreviewFlags,
  rev: Revision,
  what: string,
): Promise<LocalState> {
  const kc = loadKubeConfig(flags);
  const ns = namespaceFilter(flags);
  try {
    return await loadLocal(kc, {
      repo: rev.dir,
      path: opts.path,
      namespace: ns,
      defaultNamespace: ns ?? contextNamespace(kc),
      type: opts.type,
      helm: { values_files: opts.helmValues, ...(opts.release ? { release: opts.release } : {}) },
    });
  } catch (err) {
    if (err instanceof RenderError)
      throw new CliError(`${what} (${rev.label}) does not render: ${err.message}`);
    throw err;
  }
}

async function runPreview(flags: GlobalFlags, opts: PreviewFlags, io: Io): Promise<number> {
  const repo = resolve(opts.repo ?? '.');
  if (opts.repo && isRepoUrl(opts.repo))
    throw new CliError('--repo: preview reads a checkout; clone it first');
  const base = await extract(repo, opts.base ?? (await defaultBase(repo)));
  const head = opts.head
    ? await extract(repo, opts.head).catch((e: unknown) => (base.cleanup(), Promise.reject(e)))
    : workingTree(repo);
  let preview: Preview;
  try {
    const b = await load(flags, opts, base, 'the base');
    const h = await load(flags, opts, head, 'the head');
    for (const [what, s] of [
      ['base', b],
      ['head', h],
    ] as const) {
      for (const e of s.errors)
        warn(io, `error: ${what}: ${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}`);
      for (const w of s.warnings) warn(io, `warning: ${what}: ${w}`);
    }
    if (b.errors.length > 0 || h.errors.length > 0)
      throw new CliError('a revision does not parse: a partial preview cannot vouch for the change');
    const live = new Map<string, KubeObject>([...b.live, ...h.live]);
    preview = previewChange(b.desired, h.desired, live, h.engine);
  } finally {
    base.cleanup();
    head.cleanup();
  }
  const doc = { base: base.label, head: head.label, ...preview };
  if (flags.output === 'markdown') out(io, previewMarkdown(preview, base.label, head.label));
  else if (flags.output === 'json') out(io, toJson(doc));
  else if (flags.output === 'yaml') out(io, toYaml(doc));
  else out(io, previewText(preview, base.label, head.label));
  const s = preview.summary;
  if (s.added + s.modified + s.pruned === 0) return EXIT_OK;
  return opts.exitCode ? EXIT_DRIFT : EXIT_OK;
}
