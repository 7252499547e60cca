// Column layout for a table squeezed into the terminal width (k9s style: a renderer names its
// columns, the table decides how wide each one may be).
import { fit } from './text.ts';

export interface Column {
  name: string;
  /** Width it never shrinks below (unless the screen itself is narrower). */
  min: number;
  /** Share of the space left over once every column has its minimum. */
  grow: number;
  align?: 'left' | 'right';
}

const GAP = 1;

/** Widths for `columns` that, with one space between them, add up to at most `width`. */
export function layoutColumns(columns: readonly Column[], width: number): number[] {
  const gaps = GAP * Math.max(0, columns.length - 1);
  const mins = columns.map((c) => c.min);
  const minTotal = mins.reduce((a, b) => a + b, 0) + gaps;
  if (minTotal >= width) return shrink(mins, width - gaps);
  const spare = width - minTotal;
  const growTotal = columns.reduce((a, c) => a + c.grow, 0) || 1;
  const widths = columns.map((c) => c.min + Math.floor((spare * c.grow) / growTotal));
  // Rounding leaves a few columns spare: give them to the first growing column.
  const used = widths.reduce((a, b) => a + b, 0) + gaps;
  const first = columns.findIndex((c) => c.grow > 0);
  if (first >= 0 && widths[first] !== undefined) widths[first] += width - used;
  return widths;
}

/** On a very narrow screen take columns away from the right until the rest fits. */
function shrink(mins: number[], budget: number): number[] {
  const out = [...mins];
  let over = out.reduce((a, b) => a + b, 0) - budget;
  for (let i = out.length - 1; i >= 0 && over > 0; i--) {
    const cut = Math.min(over, out[i] ?? 0);
    out[i] = (out[i] ?? 0) - cut;
    over -= cut;
  }
  return out;
}

/** Cells laid out into one line of exactly the given widths. */
export function formatCells(
  cells: readonly string[],
  widths: readonly number[],
  columns: readonly Column[],
): string {
  return widths
    .map((w, i) => (w > 0 ? fit(cells[i] ?? '', w, columns[i]?.align) : null))
    .filter((c): c is string => c !== null)
    .join(' '.repeat(GAP));
}
