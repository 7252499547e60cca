// `npm run test:faults`: runs every test/faults/*.fault.ts with Node's test runner (one file at a
// time: each starts its own cluster; named *.fault.ts so that `npm test`'s *.test.ts glob leaves
// them to this runner, which .ci/run calls after `npm test`) and prints the summary table the recorder collected. Exits
// non-zero when the runner failed or any case lost, doubled or leaked something.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './recorder.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const only = process.argv.slice(2);
const files = readdirSync(HERE)
  .filter((f) => f.endsWith('.fault.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => relative(ROOT, join(HERE, f)));

const dir = mkdtempSync(join(tmpdir(), 'driftguard-faults-'));
const report = join(dir, 'report.jsonl');
const started = Date.now();
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, DRIFTGUARD_FAULTS_REPORT: report },
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const rows: CaseResult[] = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CaseResult)
  : [];
rmSync(dir, { recursive: true, force: true });

const num = (n: number) => (n < 0 ? '?' : String(n));
const table = [
  ['case', 'outcome', 'records lost', 'records duplicated', 'secrets found', 'note'],
  ...rows.map((r) => [r.case, r.outcome, num(r.lost), num(r.duplicated), num(r.secrets), r.note ?? '']),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => Math.min(row[i]!.length, 70))));
const line = (row: string[]) =>
  row.map((c, i) => (c.length > 70 ? `${c.slice(0, 67)}...` : c).padEnd(widths[i]!)).join(' | ');
console.log(`\nDriftGuard fault suite: ${rows.length} cases in ${seconds} s`);
console.log(line(table[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of table.slice(1)) console.log(line(row));
const bad = rows.filter((r) => r.outcome === 'fail');
if (bad.length > 0) console.log(`\n${bad.length} case(s) failed: ${bad.map((r) => r.case).join(', ')}`);
process.exit(run.status === 0 && bad.length === 0 ? 0 : 1);
