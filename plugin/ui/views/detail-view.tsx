// One record's diff and history, as a scrollable window of pre-formatted lines.
import { Box, Text } from 'ink';
import type { DetailLine } from '../render/detail.ts';
import { toneColor } from './theme.ts';

export function DetailView(p: { lines: readonly DetailLine[]; scroll: number; height: number }) {
  const shown = p.lines.slice(p.scroll, p.scroll + p.height);
  return (
    <Box flexDirection="column" height={p.height}>
      {shown.map((l, i) => (
        <Text key={p.scroll + i} wrap="truncate" color={toneColor(l.tone)} bold={l.tone === 'title'}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
