import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allRecords, startFixture, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';

describe('agent smoke', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await fx.startAgent();
    await agent.waitReady(30_000);
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 20_000);
  });
  after(async () => fx?.stop());

  it('records every tracked example in sync', async () => {
    const records = await allRecords(agent);
    console.log(
      records
        .map(
          (r) =>
            `${r.resource_id} ${r.drift_status} ${r.drift_type} ${JSON.stringify(r.drift_details.map((d) => d.path))}`,
        )
        .join('\n'),
    );
    assert.ok(records.length > 0);
    assert.deepEqual(
      records.filter((r) => r.drift_status !== 'none').map((r) => r.resource_id),
      [],
    );
  });
});
