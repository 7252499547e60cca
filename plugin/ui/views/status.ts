// Which message the status line shows: typing a filter beats errors, errors beat the analysis,
// and an idle line says when the data was last refreshed.
import type { AnalysisView } from '../hooks/use-analysis.ts';
import type { StatusTone } from './chrome.tsx';

export interface StatusInput {
  /** A question being answered (`w`), with what has been typed. */
  prompt?: string | null;
  /** The `:` command line being typed, or null. */
  command?: string | null;
  /** Feedback of a `:` command or key. */
  message?: { text: string; ok: boolean } | null;
  filterEditing: boolean;
  filter: string;
  error: string | null;
  /** An action's outcome (a revert), shown until the next one. */
  notice?: { text: string; ok: boolean } | null;
  analysis: AnalysisView;
  spinner: string;
  updatedAt: number | null;
  sort: string;
  namespace: string;
}

export function statusLine(s: StatusInput): { text: string; tone: StatusTone } {
  // A refused answer shows until the next key, which brings the question back with what was typed.
  if (s.prompt) return s.message ? messageLine(s.message) : { text: s.prompt, tone: 'info' };
  if (s.command !== undefined && s.command !== null) return { text: `:${s.command}▏`, tone: 'info' };
  if (s.filterEditing) return { text: `/${s.filter}▏`, tone: 'info' };
  if (s.error) return { text: s.error, tone: 'error' };
  if (s.message) return messageLine(s.message);
  if (s.notice) return { text: s.notice.text, tone: s.notice.ok ? 'ok' : 'error' };
  if (s.analysis.phase === 'running') {
    return { text: `${s.spinner} analysing${s.analysis.id ? ` (${s.analysis.id})` : ''}…`, tone: 'info' };
  }
  if (s.analysis.phase === 'done') return { text: s.analysis.message, tone: s.analysis.ok ? 'ok' : 'error' };
  const when = s.updatedAt ? new Date(s.updatedAt).toISOString().slice(11, 19) : 'never';
  const filter = s.filter ? `  filter /${s.filter}` : '';
  return { text: `updated ${when}  sort ${s.sort}  ns ${s.namespace}${filter}`, tone: 'info' };
}

function messageLine(m: { text: string; ok: boolean }): { text: string; tone: StatusTone } {
  return { text: m.text, tone: m.ok ? 'ok' : 'error' };
}
