// `n`: choose one namespace among those in the records, or all of them.
import { Box, Text } from 'ink';
import { truncate } from '../render/text.ts';
import { windowStart } from './list-view.tsx';

export function namespaceLabel(ns: string | null): string {
  if (ns === null) return 'all';
  return ns === '' ? '(cluster-scoped)' : ns;
}

export function PickerView(p: {
  choices: readonly (string | null)[];
  cursor: number;
  current: string | null;
  width: number;
  height: number;
}) {
  const body = Math.max(1, p.height - 1);
  const start = windowStart(p.cursor, body, p.choices.length);
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold>Namespace</Text>
      {p.choices.slice(start, start + body).map((ns, i) => (
        <Text key={namespaceLabel(ns)} inverse={start + i === p.cursor} wrap="truncate">
          {truncate(`${ns === p.current ? '●' : ' '} ${namespaceLabel(ns)}`, p.width)}
        </Text>
      ))}
    </Box>
  );
}
