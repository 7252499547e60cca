// What `kubectl driftguard ignore` prints: the proposed rule, exactly what it would match now, and
// the rule written two ways (the agent's config, the Git annotation). Also the browser's `i` page.
import { describeValue } from '../../shared/describe.ts';
import type { IgnoreProposal } from './ignore.ts';

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

/** One screen line each (the YAML blocks are split). */
export function ignoreLines(p: IgnoreProposal): string[] {
  return blocks(p).flatMap((b) => b.split('\n'));
}

function blocks(p: IgnoreProposal): string[] {
  const n = p.matches.length;
  const where = p.source_file ? ` (${p.source_file})` : '';
  return [
    'Proposed rule (the narrowest: this object, this field):',
    // The entry without its list dash: `- kind: ...` / `  name: ...` become `kind: ...` / `name: ...`.
    indent(
      p.config
        .split('\n')
        .map((l) => l.slice(2))
        .join('\n'),
      '  ',
    ),
    '',
    `It would ignore now ${n} drifted field${n === 1 ? '' : 's'}:`,
    ...p.matches.map(
      (m) => `  ${m.resource_id}  ${m.path}  ${describeValue(m.desired, 40)} → ${describeValue(m.live, 40)}`,
    ),
    '',
    "For the agent's config (drift.rules.ignore):",
    indent(p.config, '  '),
    '',
    `Or in Git, on the manifest${where}:`,
    '  metadata:',
    '    annotations:',
    `      ${p.annotation.key}: ${JSON.stringify(p.annotation.value)}`,
  ];
}

export function renderIgnore(p: IgnoreProposal): string {
  return `${ignoreLines(p).join('\n')}\n`;
}
