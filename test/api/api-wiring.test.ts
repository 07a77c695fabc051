// The API wired to the rest of the supervisor, over real HTTP on the sim: GET /me tells the page
// who it is; a call placed through POST /calls is found by GET /cdrs (by a part of its number)
// and in GET /cdrs.csv; the search's refusals are problems naming the field; and the toll guard
// counts API calls against the calling token - at its cap the next call is refused (403, the rule
// named - also when the guard's counters are a network round trip away, on MariaDB) and the token is suspended in the API's own token store, so its next request is a 401;
// /metrics counts the refusal by its rule and the suspension.

import assert from 'node:assert/strict';
import type { App } from '../../src/app/app';
import { ApiAuditLog } from '../../src/store/api-audit';
import { dbVariants, startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';

for (const variant of dbVariants()) describe(`the API wired to calls, records, the live page and the toll guard (${variant.name})`, function () {
  this.timeout(60_000);
  let running: TestSupervisor;
  let sup: App;
  let crm: string;
  let viewer: string;
  // Names of this run's own: a MariaDB keeps tokens and the guard's counters between runs.
  let crmName: string;
  let wallName: string;

  beforeEach(async () => {
    const run = Math.random().toString(36).slice(2, 8);
    crmName = `crm-${run}`;
    wallName = `wall-${run}`;
    running = await startTestSupervisor(variant, undefined, { configYaml: `guard:\n  tokens:\n    ${crmName}: { callsPerHour: 1 }\n` });
    sup = running.sup;
    crm = (await sup.tokens.create({ name: crmName, role: 'operator' })).token;
    viewer = (await sup.tokens.create({ name: wallName, role: 'viewer' })).token;
  });
  afterEach(() => running.stop());

  const call = (method: string, path: string, token: string, body?: unknown): Promise<Response> => fetch(`${sup.url}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

  it('GET /me names the token and its role', async () => {
    assert.deepEqual(await (await call('GET', '/me', viewer)).json(), { name: wallName, role: 'viewer' });
    assert.deepEqual(await (await call('GET', '/me', crm)).json(), { name: crmName, role: 'operator' });
  });

  it('a call placed through the API is found by a part of its number, in pages and as CSV; bad searches are named', async () => {
    const placed = await call('POST', '/calls?wait=true', crm, { group: 'carrier', number: '030 5557788', target: 'sales' });
    assert.equal(placed.status, 200, await placed.clone().text());
    const { answeredChannelId } = (await placed.json()) as { answeredChannelId: string };
    sup.standin!.remoteHangup(answeredChannelId, 16);
    const page = await waitFor(async () => {
      const p = (await (await call('GET', '/cdrs?number=5557788&direction=outbound', viewer)).json()) as { records: { dst: string; disposition: string }[]; next: string | null };
      return p.records.length > 0 ? p : undefined;
    }, 'the CDR of the API call');
    assert.deepEqual(page.records.map((r) => [r.dst, r.disposition]), [['0305557788', 'ANSWERED']]);
    assert.equal(page.next, null);
    const csv = await call('GET', '/cdrs.csv?number=5557788', viewer);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 2, 'a header and the one record');
    assert.match(lines[1] as string, /0305557788/);
    const bad = await call('GET', '/cdrs?timeslot=3', viewer);
    assert.equal(bad.status, 400);
    const cursor = await call('GET', '/cdrs?cursor=bm90LWEtY3Vyc29y', viewer);
    assert.equal(cursor.status, 400);
    assert.equal(((await cursor.json()) as { field?: string; code?: string }).code, 'CURSOR_INVALID');
    assert.equal((await call('GET', '/cdrs.csv?limit=5', viewer)).status, 400, 'the export takes no page size');
  });

  it('API calls count against their token: at the cap the next is refused naming the rule, and the token is suspended', async () => {
    const first = await call('POST', '/calls?wait=true', crm, { group: 'carrier', number: '030 1110001', target: 'sales' });
    assert.equal(first.status, 200, await first.clone().text());
    const second = await call('POST', '/calls', crm, { group: 'carrier', number: '030 1110002', target: 'sales' });
    assert.equal(second.status, 403);
    const problem = (await second.json()) as { code: string; detail: string };
    assert.equal(problem.code, 'GUARD_REFUSED');
    assert.match(problem.detail, /calls-per-hour/);
    assert.equal(await sup.tokens.isSuspended(crmName), true);
    assert.equal((await call('GET', '/me', crm)).status, 401, 'a suspended token is refused');
    assert.equal(await sup.tokens.isSuspended(wallName), false, 'other tokens go on');
    // The refusal is in the audit log with its rule and limit.
    const audited = await waitFor(async () => (await new ApiAuditLog(sup.db.knex).list({ limit: 10, token: crmName })).find((e) => e.status === 403), 'the refusal audited');
    assert.match(audited.result, /^GUARD_REFUSED: .*calls-per-hour/);
    const metrics = await (await fetch(`${sup.url}/metrics`)).text();
    assert.match(metrics, /^tdmgate_toll_guard_refusals_total\{rule="calls-per-hour"\} 1$/m);
    assert.match(metrics, /^tdmgate_toll_guard_refusals_total\{rule="class"\} 0$/m);
    assert.match(metrics, /^tdmgate_toll_guard_suspensions_total 1$/m);
  });
});
