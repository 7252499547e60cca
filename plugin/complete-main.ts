// Entry point of kubectl_complete-driftguard (loaded by bin/kubectl_complete-driftguard.js), and of
// `kubectl-driftguard __complete` (the archive's kubectl_complete-driftguard script runs that).
import { completions, formatCompletion } from './completion.ts';

export async function completeTo(args: string[]): Promise<number> {
  const result = await completions(args).catch(() => ({ candidates: [], directive: 4 }));
  process.stdout.write(formatCompletion(result));
  return 0;
}

/** kubectl_complete-driftguard: complete process.argv, then exit once stdout has drained. */
export async function main(): Promise<void> {
  const code = await completeTo(process.argv.slice(2));
  process.stdout.write('', () => process.exit(code));
}
