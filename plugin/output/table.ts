// A kubectl-style table: upper-case headers, columns padded to the widest cell, three spaces
// between columns, no borders. Cells may carry colour codes; padding counts printable width only.
import { visibleLength } from './color.ts';

export interface Column<T> {
  header: string;
  cell(row: T): string;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleLength(s)));
}

export function renderTable<T>(columns: Column<T>[], rows: T[]): string {
  const cells = rows.map((r) => columns.map((c) => c.cell(r).replace(/[\r\n]+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => visibleLength(row[i] ?? ''))),
  );
  const line = (values: string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : pad(v, widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}
