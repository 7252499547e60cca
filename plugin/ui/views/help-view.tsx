// `?`: every binding of the view underneath, drawn from the same table that handles the keys.
import { Box, Text } from 'ink';
import { bindingsFor, COLON_COMMANDS, type Context } from '../state/keymap.ts';
import { fit, truncate } from '../render/text.ts';

export function HelpView(p: { context: Context; width: number; height: number }) {
  const lines = [
    ...bindingsFor(p.context).map((b) => `${fit(b.label, 7)} ${b.description}`),
    ...(p.context === 'list' ? ['', 'Commands (type : first)'] : []),
    ...(p.context === 'list' ? COLON_COMMANDS.map((c) => `${fit(c.usage, 30)} ${c.description}`) : []),
  ];
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold>{truncate(`Keys (${p.context} view)`, p.width)}</Text>
      {lines.slice(0, Math.max(0, p.height - 1)).map((l, i) => (
        <Text key={`${i}`} wrap="truncate">
          {truncate(l, p.width)}
        </Text>
      ))}
    </Box>
  );
}
