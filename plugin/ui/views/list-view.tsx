// The drift list: a header row and one coloured row per record, scrolled to keep the cursor visible.
import { Box, Text } from 'ink';
import type { DriftRecord } from '../../../shared/types.ts';
import { formatCells, layoutColumns } from '../render/columns.ts';
import { columnsFor, driftRow, rowId } from '../render/drift-row.ts';
import { SEVERITY_COLOR } from './theme.ts';
import { SORT_COLUMN, type SortKey } from '../state/list.ts';
import type { RecordMode } from '../state/ui-state.ts';

export interface ListViewProps {
  rows: readonly DriftRecord[];
  loaded: boolean;
  cursor: number;
  width: number;
  height: number;
  now: number;
  emptyText: string;
  /** The sort in force: its column's header carries the direction marker. */
  sort: SortKey;
  /** Which records: the waived ones have their own columns. */
  mode: RecordMode;
  /** Rows of another cluster or of several: a CLUSTER column. */
  withCluster?: boolean;
}

/** First row shown so the cursor stays inside a window of `height` rows. */
export function windowStart(cursor: number, height: number, length: number): number {
  if (length <= height) return 0;
  return Math.min(Math.max(0, cursor - height + 1), length - height);
}

export function ListView(p: ListViewProps) {
  const withCluster = p.withCluster ?? false;
  const columns = columnsFor(p.mode, withCluster);
  const widths = layoutColumns(columns, p.width);
  const sorted = SORT_COLUMN[p.sort];
  const header = formatCells(
    columns.map((c) => (c.name === sorted.column ? `${c.name}${sorted.marker}` : c.name)),
    widths,
    columns,
  );
  const bodyHeight = Math.max(1, p.height - 1);
  const start = windowStart(p.cursor, bodyHeight, p.rows.length);
  const shown = p.rows.slice(start, start + bodyHeight);
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {!p.loaded ? <Text color="gray">loading…</Text> : null}
      {p.loaded && p.rows.length === 0 ? <Text color="gray">{p.emptyText}</Text> : null}
      {shown.map((r, i) => (
        <Text
          key={rowId(r, withCluster)}
          wrap="truncate"
          color={r.severity ? SEVERITY_COLOR[r.severity] : undefined}
          // A waived drift is accepted for now: present, but not asking for attention.
          dimColor={r.drift_status === 'waived'}
          inverse={start + i === p.cursor}
        >
          {formatCells(driftRow(r, p.now, withCluster), widths, columns)}
        </Text>
      ))}
    </Box>
  );
}
