// `?`: every binding of the view underneath, drawn from the same table that handles the keys.
import { Box, Text } from 'ink';
import { bindingsFor, type Context } from '../state/keymap.ts';
import { fit, truncate } from '../render/text.ts';

export function HelpView(p: { context: Context; width: number; height: number }) {
  const lines = bindingsFor(p.context).map((b) => `${fit(b.label, 7)} ${b.description}`);
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold>{truncate(`Keys (${p.context} view)`, p.width)}</Text>
      {lines.slice(0, Math.max(0, p.height - 1)).map((l) => (
        <Text key={l} wrap="truncate">
          {truncate(l, p.width)}
        </Text>
      ))}
    </Box>
  );
}
