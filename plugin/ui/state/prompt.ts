// The browser's `w`: two questions on the status line (how long, why), answered as
// `kubectl driftguard waive RESOURCE --for … --reason …` would be. The duration is checked as the
// CLI checks --for before the reason is asked, so a typo is caught where it was typed.
import { waiverDuration } from '../../act/waive.ts';

export interface WaivePrompt {
  resourceId: string;
  step: 'for' | 'reason';
  for: string;
  reason: string;
}

export type Feedback = { text: string; ok: boolean } | null;

export function openPrompt(resourceId: string): WaivePrompt {
  return { resourceId, step: 'for', for: '', reason: '' };
}

export function typeInto(p: WaivePrompt, text: string): WaivePrompt {
  return p.step === 'for' ? { ...p, for: p.for + text } : { ...p, reason: p.reason + text };
}

export function erase(p: WaivePrompt): WaivePrompt {
  const cut = (t: string) => [...t].slice(0, -1).join('');
  return p.step === 'for' ? { ...p, for: cut(p.for) } : { ...p, reason: cut(p.reason) };
}

/** Enter: the next question, or null when both are answered (the waiver is then asked for). */
export function nextStep(p: WaivePrompt): { prompt: WaivePrompt | null; message: Feedback } {
  if (p.step === 'for') {
    try {
      return { prompt: { ...p, for: waiverDuration(p.for), step: 'reason' }, message: null };
    } catch (err) {
      return { prompt: { ...p, for: '' }, message: { text: (err as Error).message, ok: false } };
    }
  }
  if (!p.reason.trim()) return { prompt: p, message: { text: 'say why this drift is accepted', ok: false } };
  // No message: the app's notice says `waiving…`, then what the agent answered.
  return { prompt: null, message: null };
}

/** The question on the status line, with what has been typed so far. */
export function promptLine(p: WaivePrompt): string {
  return p.step === 'for'
    ? `waive ${p.resourceId} for how long (7d, 12h, 30m)? ${p.for}▏`
    : `waive ${p.resourceId} for ${p.for}, because: ${p.reason}▏`;
}
