import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, formatPretty, type LogFields } from './log.ts';

function capture(format: 'json' | 'pretty'): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', format }, { write: (t) => lines.push(t) });
  return { lines, log };
}

describe('agent log', () => {
  it('writes JSON lines with level, event, resource id, type and severity', () => {
    const { lines, log } = capture('json');
    log.info(
      { event: 'drift_detected', resource_id: 'Deployment:default:web', type: 'Scaling', severity: 'medium' },
      'replicas 3 → 5',
    );
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(line['level'], 30);
    assert.equal(line['event'], 'drift_detected');
    assert.equal(line['resource_id'], 'Deployment:default:web');
    assert.equal(line['type'], 'Scaling');
    assert.equal(line['severity'], 'medium');
    assert.equal(line['msg'], 'replicas 3 → 5');
  });

  const markers: [LogFields, string][] = [
    [{ event: 'drift_detected', severity: 'high' }, '🔴'],
    [{ event: 'drift_detected', severity: 'medium' }, '🟠'],
    [{ event: 'drift_updated', severity: 'low' }, '🟡'],
    [{ event: 'drift_resolved', severity: 'high' }, '✅'],
  ];
  for (const [fields, mark] of markers) {
    it(`pretty-prints ${String(fields['event'])}/${String(fields['severity'])} with ${mark}`, () => {
      const { lines, log } = capture('pretty');
      log.info({ ...fields, resource_id: 'Service:shop:api', type: 'PortChange' }, 'port 80 → 81');
      assert.match(
        lines[0] ?? '',
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${mark} ${String(fields['event'])} Service:shop:api \\[PortChange ${String(fields['severity'])}\\] — port 80 → 81\\n$`,
        ),
      );
    });
  }

  it('redacts Secret payloads that slip into a log call', () => {
    const { lines, log } = capture('json');
    log.warn({ event: 'watch_error', object: { data: { password: 'aHVudGVyMg==' } } }, 'oops');
    assert.doesNotMatch(lines.join(''), /aHVudGVyMg==/);
  });

  it('passes a non-JSON line through unchanged', () => {
    assert.equal(formatPretty('not json'), 'not json');
  });
});
