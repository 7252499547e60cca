// `a`: ask the agent for an analysis, then poll its status until it finishes. One at a time.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnalysisStatus } from '../../../shared/types.ts';
import { errorMessage, type UiClient } from '../client.ts';

export type AnalysisView =
  | { phase: 'idle' }
  | { phase: 'running'; id: string | null }
  | { phase: 'done'; message: string; ok: boolean };

export function analysisMessage(s: AnalysisStatus): string {
  if (s.status === 'failed') return `analysis ${s.analysis_id} failed: ${s.error ?? 'unknown error'}`;
  return `analysis done: ${s.resources} resources, ${s.drifted} drifted (${s.detected} new, ${s.resolved} resolved)`;
}

export function useAnalysis(
  client: UiClient,
  pollMs: number,
  onFinished: () => void,
): [AnalysisView, () => void] {
  const [view, setView] = useState<AnalysisView>({ phase: 'idle' });
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const start = useCallback(() => {
    if (running.current) return;
    running.current = true;
    setView({ phase: 'running', id: null });
    const finish = (v: AnalysisView): void => {
      running.current = false;
      if (!mounted.current) return;
      setView(v);
      onFinished();
    };
    const poll = (id: string): void => {
      client.analysis(id).then(
        (s) => {
          if (!mounted.current) return;
          if (s.status === 'running') setTimeout(() => poll(id), pollMs);
          else finish({ phase: 'done', message: analysisMessage(s), ok: s.status === 'completed' });
        },
        (err: unknown) =>
          finish({ phase: 'done', message: `analysis status unavailable: ${errorMessage(err)}`, ok: false }),
      );
    };
    client.analyze().then(
      (r) => {
        if (mounted.current) setView({ phase: 'running', id: r.analysis_id });
        poll(r.analysis_id);
      },
      (err: unknown) =>
        finish({ phase: 'done', message: `analysis not started: ${errorMessage(err)}`, ok: false }),
    );
  }, [client, pollMs, onFinished]);

  return [view, start];
}
