// The drift browser rendered with ink-testing-library at 80×24 against a stand-in client: what the
// screen shows, and what each key does to it.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { createElement } from 'react';
import { KEYS, renderAt, type Rendered } from '../../../test/ui/render-at.ts';
import { record, standInClient, type StandIn } from '../../../test/ui/stand-in-client.ts';
import { App } from './app.tsx';

afterEach(() => cleanup());

function open(client: StandIn = standInClient(), namespace?: string): Rendered {
  return renderAt(createElement(App, { client, namespace, refreshMs: 50, pollMs: 10 }), 80, 24);
}

const rowOrder = (screen: string): string[] =>
  screen
    .split('\n')
    .flatMap((l) => /(Deployment\/\w+|ConfigMap\/\w+|Service\/\w+)/.exec(l)?.slice(1, 2) ?? []);

function assertFits(screen: string, columns: number, rows: number): void {
  const lines = screen.split('\n');
  assert.ok(lines.length <= rows, `${lines.length} lines > ${rows}:\n${screen}`);
  for (const l of lines) assert.ok([...l].length <= columns, `line wider than ${columns}: "${l}"`);
}

test('the list shows counts, last analysis, trend sparkline, rows and the hint bar in 80×24', async () => {
  const ui = open();
  const screen = await ui.waitFor('Deployment/api');
  assert.match(screen, /active 3\/3 {2}active 3 resolved 1 {2}last analysis \S+ ago \(12 res\)/);
  assert.match(screen, /▁▃▃▆██/);
  assert.match(screen, /SEV↓ +NAMESPACE +RESOURCE +TYPE +MANAGER +AGE/, 'the sort column carries ↓');
  assert.deepEqual(rowOrder(screen), ['Deployment/api', 'Deployment/web', 'ConfigMap/settings']);
  assert.match(screen.split('\n').at(-1) ?? '', /\? help.*q quit/);
  assertFits(screen, 80, 24);
});

test('/ filters by typed text, Enter keeps it, Esc clears it', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  await ui.press('/', 'k', 'u', 'b', 'e', 'c', 't', 'l', '-', 'e');
  let screen = await ui.waitFor('/kubectl-e▏');
  assert.deepEqual(rowOrder(screen), ['ConfigMap/settings']);
  assert.match(screen, /active 1\/3/);
  await ui.press(KEYS.enter);
  screen = await ui.waitFor('filter /kubectl-e');
  assert.deepEqual(rowOrder(screen), ['ConfigMap/settings']);
  await ui.press('/', KEYS.escape);
  screen = await ui.waitFor((s) => rowOrder(s).length === 3);
  assert.match(screen, /active 3\/3/);
});

test('s cycles the sort: severity, age, namespace', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  await ui.press('s');
  let screen = await ui.waitFor('sort:age');
  assert.deepEqual(rowOrder(screen), ['Deployment/api', 'ConfigMap/settings', 'Deployment/web']);
  await ui.press('s');
  screen = await ui.waitFor('sort:namespace');
  assert.deepEqual(rowOrder(screen), ['ConfigMap/settings', 'Deployment/api', 'Deployment/web']);
});

test('Enter opens the selected drift: per-field desired vs live, manager, time and history', async () => {
  const client = standInClient();
  const ui = open(client);
  await ui.waitFor('Deployment/api');
  await ui.press(KEYS.down, KEYS.enter);
  const screen = await ui.waitFor('replicas 3 → 5');
  assert.match(screen, /active drifts ▸ Deployment:shop:web/);
  assert.match(screen, /spec\.replicas\n {2}Scaling · medium · kubectl-scale · 2026-01-01T00:01:00\.000Z/);
  assert.match(screen, /- desired: 3\n {2}\+ live: {4}5/);
  assert.ok(client.calls.includes('history Deployment:shop:web'));
  assertFits(screen, 80, 24);
  await ui.press('q');
  await ui.waitFor((s) => rowOrder(s).length === 3 && !s.includes('HISTORY'));
});

test('a starts an analysis, shows a spinner while it runs and the result when done', async () => {
  const client = standInClient();
  client.runningPolls = 3;
  const ui = open(client);
  await ui.waitFor('Deployment/api');
  await ui.press('a');
  await ui.waitFor('analysis done: 12 resources, 3 drifted (1 new, 0 resolved)');
  assert.ok(
    ui.frames.some((f) => /analysing/.test(f)),
    'a frame showed the analysis running',
  );
  assert.equal(client.calls.filter((c) => c === 'analyze').length, 1);
  assert.ok(client.calls.filter((c) => c === 'analysis an-1').length >= 4);
});

test('r toggles between active and resolved drifts', async () => {
  const client = standInClient();
  const ui = open(client);
  await ui.waitFor('Deployment/api');
  await ui.press('r');
  const screen = await ui.waitFor('Service/frontend');
  assert.match(screen, /resolved drifts/);
  assert.deepEqual(rowOrder(screen), ['Service/frontend']);
  assert.ok(client.calls.includes('resolved'));
  await ui.press('r');
  await ui.waitFor('Deployment/api');
});

test('n picks a namespace from the records (or all)', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  await ui.press('n');
  let screen = await ui.waitFor('Namespace');
  assert.match(screen, /● all\n {2}billing\n {2}shop/);
  await ui.press(KEYS.down, KEYS.enter);
  screen = await ui.waitFor('ns:billing');
  assert.deepEqual(rowOrder(screen), ['ConfigMap/settings']);
});

test('? shows the key help drawn from the bindings, and ? again hides it', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  await ui.press('?');
  const screen = await ui.waitFor('Keys (list view)');
  assert.match(screen, /s +sort by severity \/ age \/ namespace/);
  assert.match(screen, /r +toggle active \/ resolved drifts/);
  await ui.press('?');
  await ui.waitFor((s) => !s.includes('Keys (') && s.includes('Deployment/api'));
});

test('q quits at the top level', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  assert.ok(ui.stdin.listenerCount('readable') > 0);
  await ui.press('q');
  await ui.waitFor(() => ui.stdin.listenerCount('readable') === 0);
});

test('an unreachable agent shows in the status line while the last good rows stay', async () => {
  const client = standInClient();
  const ui = open(client);
  await ui.waitFor('Deployment/api');
  client.failWith = new Error('connect ECONNREFUSED 127.0.0.1:8080');
  const screen = await ui.waitFor('agent unreachable or failing: connect ECONNREFUSED');
  assert.deepEqual(rowOrder(screen), ['Deployment/api', 'Deployment/web', 'ConfigMap/settings']);
  client.failWith = null;
  await ui.waitFor((s) => s.includes('updated ') && !s.includes('ECONNREFUSED'));
});

test('a resize re-lays the table to the new width', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  ui.resize(60, 16);
  const screen = await ui.waitFor(
    (s) => s.split('\n').every((l) => [...l].length <= 60) && s.includes('SEV'),
  );
  assertFits(screen, 60, 16);
  ui.resize(120, 30);
  await ui.waitFor((s) => s.split('\n')[2]?.length === 120);
});

test('keys that arrive in one burst (fast typing, a paste) still filter', async () => {
  const ui = open();
  await ui.waitFor('Deployment/api');
  await ui.press('/settings');
  const screen = await ui.waitFor('/settings▏');
  assert.deepEqual(rowOrder(screen), ['ConfigMap/settings']);
});

test("the list holds every active drift, not only the API's first page of 100", async () => {
  const many = Array.from({ length: 150 }, (_, i) =>
    record('Deployment', 'shop', `app-${String(i).padStart(3, '0')}`),
  );
  const client = standInClient();
  // Pages like the agent: 100 records unless a limit is given.
  client.active = async (f) => {
    const offset = f?.offset ?? 0;
    return { drift_records: many.slice(offset, offset + (f?.limit ?? 100)), count: many.length };
  };
  const ui = open(client);
  const screen = await ui.waitFor('Deployment/app-');
  assert.match(screen, /active 150\/150/);
});

test(':waived lists the waived drifts (absent from :active, as in get --active) with their waiver', async () => {
  const client = standInClient();
  const ui = open(client);
  let screen = await ui.waitFor('Deployment/api');
  assert.ok(!screen.includes('Deployment/cache'), 'a waived drift is not an active one');
  await ui.press(':waived', KEYS.enter);
  screen = await ui.waitFor('Deployment/cache');
  assert.match(screen, /waived drifts/);
  assert.match(screen, /SEV↓ +NAMESPACE +RESOURCE +TYPE +WAIVER +AGE/);
  assert.match(
    screen,
    /Deployment\/cache +Scaling +by alice, expired/,
    'the stand-in waiver ended in January',
  );
  assert.deepEqual(rowOrder(screen), ['Deployment/cache']);
  assert.ok(client.calls.includes('records'));
  assertFits(screen, 80, 24);
  await ui.press('r');
  await ui.waitFor((s) => rowOrder(s).length === 3 && s.includes('Deployment/api'));
});

test(':waivers lists the waivers with owner, scope, expiry and reason; u asks, n keeps, y revokes', async () => {
  const client = standInClient();
  const ui = open(client);
  await ui.waitFor('Deployment/api');
  await ui.press(':waivers', KEYS.enter);
  const screen = await ui.waitFor('Deployment/shop/cache');
  assert.match(screen, /DriftGuard ▸ waivers/);
  assert.match(screen, /ID +STATE +OWNER +SCOPE +EXPIRES +REASON/);
  assert.match(screen, /w-1aaaaa +active +alice +Deployment\/shop\/cache +in \d+y +load test until/);
  assertFits(screen, 80, 24);
  await ui.press('u');
  await ui.waitFor((s) => /revoke waiver w-1aaaaa\? Deployment\/shop\/cache, alice: load test/.test(s));
  await ui.press('n');
  await ui.waitFor('waiver kept');
  assert.ok(!client.calls.some((c) => c.startsWith('revoke')));
  await ui.press('u', 'y');
  await ui.waitFor('waiver/w-1aaaaaaa-0000 revoked');
  assert.ok(client.calls.includes('revoke w-1aaaaaaa-0000'));
  await ui.waitFor((s) => /w-1aaaaa +revoked +alice/.test(s));
  await ui.press(KEYS.escape);
  await ui.waitFor((s) => s.includes('Deployment/api') && s.includes('active drifts'));
});
