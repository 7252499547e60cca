// Entry point of kubectl_complete-driftguard (loaded by bin/kubectl_complete-driftguard.js).
import { completions, formatCompletion } from './completion.ts';

const result = await completions(process.argv.slice(2)).catch(() => ({ candidates: [], directive: 4 }));
process.stdout.write(formatCompletion(result), () => process.exit(0));
