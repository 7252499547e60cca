// Fixed-width text helpers for a terminal table: everything the views print goes through these so a
// line never wraps at 80 columns (wrapping would push the hint bar off a 24-row screen).

/** Cut `text` to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width === 1) return '…';
  return chars.slice(0, width - 1).join('') + '…';
}

/** Truncate, then pad with spaces to exactly `width` characters. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'right' ? pad + cut : cut + pad;
}

/** Lines of at most `width` characters, broken at spaces (a longer word is cut into pieces): never cut off. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const indent = /^\s*/.exec(para)?.[0] ?? '';
    const room = Math.max(1, width - indent.length);
    let line = '';
    const flush = (): void => {
      if (line !== '') out.push(indent + line);
      line = '';
    };
    for (const word of para.trim().split(/\s+/)) {
      let chars = [...word];
      while (chars.length > room) {
        flush();
        out.push(indent + chars.slice(0, room).join(''));
        chars = chars.slice(room);
      }
      const rest = chars.join('');
      if (rest === '') continue;
      if (line === '') line = rest;
      else if ([...line].length + 1 + chars.length <= room) line = `${line} ${rest}`;
      else {
        flush();
        line = rest;
      }
    }
    if (line === '' && out.length > 0 && para.trim() === '') out.push('');
    flush();
  }
  return out;
}
