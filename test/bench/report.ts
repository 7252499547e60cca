// The benchmark's one report: each figure with its unit and, where the issue sets one, its goal;
// printed as a table at the end and written as JSON to bench/results/<date>.json. Never fails on
// a missed goal: a slow machine shows as figures, not as a red run.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../kit/plugin.ts';

export interface Figure {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  /** e.g. "< 250 ms", "≥ 1000×" */
  goal?: string;
  met?: boolean;
  note?: string;
}

export const figures: Figure[] = [];
export const notes: string[] = [];

export function figure(f: Figure): void {
  figures.push(f);
  const v = f.value === null ? 'n/a' : `${round(f.value)} ${f.unit}`;
  const goal = f.goal ? `   goal ${f.goal}: ${f.met === undefined ? '?' : f.met ? 'met' : 'MISSED'}` : '';
  console.log(`  ${f.section} · ${f.name}: ${v}${goal}${f.note ? `   (${f.note})` : ''}`);
}

export function note(text: string): void {
  notes.push(text);
  console.log(`  note: ${text}`);
}

/** Whole numbers (counts, whole milliseconds) as they are; fractions to three significant places. */
function round(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function machine(): { cores: number; cpu: string; memoryGb: number; node: string; platform: string } {
  const c = cpus();
  return {
    cores: c.length,
    cpu: c[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

export function percentiles(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const pick = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), max: s.at(-1) ?? NaN };
}

export function median(values: number[]): number {
  return percentiles(values).p50;
}

/** Prints the table and writes the JSON; returns the JSON path. */
export function writeReport(args: Record<string, unknown>): string {
  const m = machine();
  console.log(`\n# Results — ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, node ${m.node}`);
  const width = Math.max(...figures.map((f) => `${f.section} · ${f.name}`.length), 10);
  for (const f of figures) {
    const v = f.value === null ? 'n/a' : `${round(f.value)} ${f.unit}`;
    const goal = f.goal ? `${f.goal} ${f.met === undefined ? '' : f.met ? '✓' : '✗ missed'}` : '';
    console.log(`${`${f.section} · ${f.name}`.padEnd(width)}  ${v.padStart(14)}  ${goal}`);
  }
  for (const n of notes) console.log(`note: ${n}`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine: m, args, figures, notes }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${file}`);
  return file;
}
