import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorEnabled, palette, visibleLength } from './color.ts';
import { renderTable } from './table.ts';

describe('colour', () => {
  it('is on only for a TTY with NO_COLOR unset (even an empty NO_COLOR turns it off)', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), false);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({}, {}), false);
  });

  it('colours severities high red, medium yellow, low cyan, and nothing when disabled', () => {
    const on = palette(true);
    assert.equal(on.severity('high'), '\u001b[31mhigh\u001b[39m');
    assert.equal(on.severity('medium'), '\u001b[33mmedium\u001b[39m');
    assert.equal(on.severity('low'), '\u001b[36mlow\u001b[39m');
    assert.equal(palette(false).severity('high'), 'high');
    assert.equal(palette(false).severity(null), '-');
  });

  it('aligns table columns by printable width, ignoring colour codes', () => {
    const c = palette(true);
    const out = renderTable(
      [
        { header: 'sev', cell: (r: string) => c.severity('high', r) },
        { header: 'x', cell: () => 'y' },
      ],
      ['high', 'hi'],
    );
    const lines = out.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => visibleLength(l)),
      [8, 8, 8],
    );
    assert.equal(lines[0], 'SEV    X');
  });
});
