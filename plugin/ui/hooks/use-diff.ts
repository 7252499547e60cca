// `d` and `R`: the diff of one drift (loaded when its page opens), and the revert after a `y` on
// the confirmation page. Both go through DriftActions, the code behind `diff` and `revert`.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DriftActions } from '../../act/actions.ts';
import { errorMessage } from '../client.ts';
import type { DetailLine } from '../render/detail.ts';

export interface DiffData {
  lines: DetailLine[] | null;
  /** What `y` would send and take over, said on the confirmation. */
  summary: string | null;
  error: string | null;
  /** The last revert's outcome, shown on the status line. */
  notice: { text: string; ok: boolean } | null;
  reverting: boolean;
}

/** Tones by the diff's own markers, headers first (`---` is not a removal). */
export function diffLine(text: string): DetailLine {
  if (/^(diff |--- |\+\+\+ )/.test(text)) return { text, tone: 'title' };
  if (text.startsWith('@@')) return { text, tone: 'low' };
  if (text.startsWith('-')) return { text, tone: 'live' };
  if (text.startsWith('+')) return { text, tone: 'desired' };
  return { text };
}

export function useDiff(
  actions: DriftActions | undefined,
  resourceId: string | null,
  onReverted: () => void,
  refreshMs = 3000,
): DiffData & { revert(id: string, force: boolean): void; adopt(id: string): void } {
  const [lines, setLines] = useState<DetailLine[] | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<DiffData['notice']>(null);
  const [reverting, setReverting] = useState(false);
  const [reload, setReload] = useState(0);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  // A change of resource resets, during render (the old diff is never drawn under the new title).
  const [shownId, setShownId] = useState(resourceId);
  if (shownId !== resourceId) {
    setShownId(resourceId);
    setLines(null);
    setSummary(null);
    setError(null);
    setNotice(null);
  }

  // Loaded when the page opens and again every refresh, so a revert's effect shows once the agent
  // has seen it (the agent's view of live comes from its watch).
  useEffect(() => {
    if (!resourceId || !actions) return;
    let live = true;
    actions.diff(resourceId).then(
      (d) => {
        if (!live) return;
        const body = d.lines.length
          ? d.lines.map(diffLine)
          : [{ text: 'no drift: the object matches Git', tone: 'dim' as const }];
        const head = [{ text: d.declared, tone: 'dim' as const }, { text: '' }];
        setLines([
          ...head,
          ...body,
          ...(d.note ? [{ text: '' }, { text: d.note, tone: 'dim' as const }] : []),
        ]);
        setSummary(d.summary);
      },
      (err: unknown) => live && setError(`cannot diff ${resourceId}: ${errorMessage(err)}`),
    );
    const timer = setTimeout(() => setReload((n) => n + 1), refreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [actions, resourceId, reload, refreshMs]);

  const revert = useCallback(
    (id: string, force: boolean) => {
      if (!actions) return;
      setReverting(true);
      setNotice(null);
      actions.revert(id, { force }).then(
        (text) => {
          if (!mounted.current) return;
          setReverting(false);
          setNotice({ text, ok: true });
          setReload((n) => n + 1);
          onReverted();
        },
        (err: unknown) => {
          if (!mounted.current) return;
          setReverting(false);
          setNotice({ text: errorMessage(err), ok: false });
        },
      );
    },
    [actions, onReverted],
  );

  // `A`: the files are written in the checkout; the status line says which (or why not).
  const adopt = useCallback(
    (id: string) => {
      if (!actions) return;
      setNotice(null);
      actions.adopt(id).then(
        (text) => mounted.current && setNotice({ text, ok: true }),
        (err: unknown) => mounted.current && setNotice({ text: errorMessage(err), ok: false }),
      );
    },
    [actions],
  );

  // Without actions there is nothing to load: said, not fetched.
  const unavailable = resourceId && !actions ? 'diff and revert need the agent and a kubeconfig' : null;
  return { lines, summary, error: error ?? unavailable, notice, reverting, revert, adopt };
}
