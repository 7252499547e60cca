// `:waivers`: every waiver the agent keeps, in force first; `u` revokes the one under the cursor.
import { Box, Text } from 'ink';
import type { Waiver } from '../../../shared/types.ts';
import { formatCells, layoutColumns } from '../render/columns.ts';
import { WAIVER_COLUMNS, waiverRow } from '../render/waiver-row.ts';
import { windowStart } from './list-view.tsx';

export function WaiversView(p: {
  waivers: readonly Waiver[] | null;
  cursor: number;
  width: number;
  height: number;
  now: number;
}) {
  const widths = layoutColumns(WAIVER_COLUMNS, p.width);
  const rows = p.waivers ?? [];
  const body = Math.max(1, p.height - 1);
  const start = windowStart(p.cursor, body, rows.length);
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold wrap="truncate">
        {formatCells(
          WAIVER_COLUMNS.map((c) => c.name),
          widths,
          WAIVER_COLUMNS,
        )}
      </Text>
      {p.waivers === null ? <Text color="gray">loading…</Text> : null}
      {p.waivers?.length === 0 ? <Text color="gray">no waivers</Text> : null}
      {rows.slice(start, start + body).map((w, i) => (
        <Text key={w.id} wrap="truncate" dimColor={w.state !== 'active'} inverse={start + i === p.cursor}>
          {formatCells(waiverRow(w, p.now), widths, WAIVER_COLUMNS)}
        </Text>
      ))}
    </Box>
  );
}
