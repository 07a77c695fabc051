// /api/v1 end to end over real HTTP (Node's fetch, loopback) on a supervisor on the sim with the
// ARI stand-in and SQLite: the OpenAPI document against the routes express serves, both ways;
// every route refusing every role below its permission (403), no token (401 + WWW-Authenticate),
// a revoked or expired token (401); requests refused by their schemas naming the field; an
// originate through POST /calls showing in GET /calls and /channels and hung up by DELETE; the
// audit rows of mutating requests; the hardware and trunk resources; unknown routes and methods.

import assert from 'node:assert/strict';
import { rolesBelow } from '../../src/api/v1/access';
import { ApiTokenStore } from '../../src/store/api-tokens';
import { waitFor } from '../wait-for';
import { startApiSupervisor, type ApiTestSupervisor } from './api-harness';

interface Problem {
  type: string; title: string; status: number; detail: string; instance: string; code: string; field?: string; allowed?: unknown;
  errors?: { in: string; field: string; message: string; allowed?: unknown }[];
}

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { 'x-permission': string; security: unknown[]; operationId: string }>>;
}

/** A value for each path parameter: any will do, the token is refused before the path is read. */
const SAMPLE: Readonly<Record<string, string>> = { span: '1', id: 'x', group: 'carrier', name: 'nobody', queue: 'calls-carrier' };

function concrete(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => SAMPLE[name] ?? 'x');
}

async function problem(res: Response, status: number): Promise<Problem> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const p = JSON.parse(text) as Problem;
  assert.equal(p.status, status);
  assert.match(p.type, /^urn:tdmgate:problem:/);
  assert.equal(typeof p.title, 'string');
  assert.equal(typeof p.detail, 'string');
  return p;
}

describe('REST API /api/v1 (SQLite, sim, ARI stand-in)', function () {
  this.timeout(60_000);
  let api: ApiTestSupervisor;
  let doc: OpenApi;

  before(async () => {
    api = await startApiSupervisor();
    const res = await api.call('GET', '/api/v1/openapi.json', { token: null });
    assert.equal(res.status, 200);
    doc = (await res.json()) as OpenApi;
  });
  after(() => api?.stop());

  it('the OpenAPI 3.1 document lists exactly the routes express serves, both ways', () => {
    assert.equal(doc.openapi, '3.1.0');
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const served = new Set(api.sup.http.servedRoutes()
      .filter((r) => r.path.startsWith('/api/v1/'))
      .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`));
    assert.ok(served.size > 20, `only ${served.size} routes served`);
    for (const s of served) assert.ok(documented.has(s), `served but not in openapi.json: ${s}`);
    for (const d of documented) assert.ok(served.has(d), `in openapi.json but not served: ${d}`);
  });

  it('every route declares a permission and refuses each role below it with 403 problem+json', async () => {
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(['public', 'viewer', 'operator', 'admin'].includes(op['x-permission']), `${method} ${path}: permission ${op['x-permission']}`);
        for (const role of rolesBelow(op['x-permission'] as 'viewer')) {
          const p = await problem(await api.call(method.toUpperCase(), concrete(path), { token: api.secrets[role], ...(method === 'get' || method === 'delete' ? {} : { body: {} }) }), 403);
          assert.equal(p.code, 'FORBIDDEN', `${method} ${path} as ${role}`);
          assert.match(p.detail, new RegExp(`needs the ${op['x-permission']} role; token ${role} is ${role}`));
          checked++;
        }
      }
    }
    // 3 admin routes x 2 roles + 8 operator routes x 1.
    assert.ok(checked >= 14, `only ${checked} refusals checked`);
  });

  it('every non-public route refuses a request without a token: 401, WWW-Authenticate: Bearer', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const res = await api.call(method.toUpperCase(), concrete(path), { token: null });
        if (op['x-permission'] === 'public') {
          assert.equal(res.status, 200, `${method} ${path} is public`);
          await res.arrayBuffer();
          continue;
        }
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, `${method} ${path}`);
        assert.equal((await problem(res, 401)).code, 'UNAUTHENTICATED');
      }
    }
  });

  it('refuses an unknown, a revoked and an expired token (401), and lets a fresh token of a revoked name in', async () => {
    assert.match((await problem(await api.call('GET', '/api/v1/spans', { token: 'tdm_not-a-token' }), 401)).detail, /not known/);
    const crm = await api.sup.tokens.create({ name: 'crm', role: 'viewer' });
    assert.equal((await api.call('GET', '/api/v1/spans', { token: crm.token })).status, 200);
    assert.equal((await api.call('DELETE', '/api/v1/tokens/crm')).status, 200);
    assert.match((await problem(await api.call('GET', '/api/v1/spans', { token: crm.token }), 401)).detail, /revoked/);
    // Made three hours ago for one hour: expired now, whatever the clock says.
    const old = await new ApiTokenStore(api.sup.db.knex, () => new Date(Date.now() - 3 * 3_600_000)).create({ name: 'old', role: 'admin', expires: '1h' });
    assert.match((await problem(await api.call('GET', '/api/v1/spans', { token: old.token }), 401)).detail, /expired/);
    const again = await api.sup.tokens.create({ name: 'crm', role: 'viewer' });
    assert.equal((await api.call('GET', '/api/v1/spans', { token: again.token })).status, 200);
    await api.sup.tokens.suspend('crm', 'toll-fraud guard: 40 calls to premium numbers in a minute');
    assert.match((await problem(await api.call('GET', '/api/v1/spans', { token: again.token }), 401)).detail, /suspended/);
  });

  it('a body its schema refuses: 400 naming each field, the unknown one and what is allowed', async () => {
    const p = await problem(await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, body: { group: 'carrier', colour: 'red', timeoutSeconds: 2 } }), 400);
    assert.equal(p.code, 'INVALID_REQUEST');
    const fields = Object.fromEntries((p.errors ?? []).map((e) => [e.field, e]));
    assert.equal(fields['/colour']?.message, 'is not a known field');
    assert.ok((fields['/colour']?.allowed as string[]).includes('callerId'));
    assert.equal(fields['/number']?.message, 'is required');
    assert.deepEqual(fields['/timeoutSeconds']?.allowed, { minimum: 5, maximum: 300 });
    assert.ok((p.errors ?? []).every((e) => e.in === 'body'));
    const q = await problem(await api.call('GET', '/api/v1/spans/abc'), 400);
    assert.deepEqual(q.errors?.map((e) => [e.in, e.field]), [['path', '/span']]);
    const j = await problem(await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, rawBody: '{"group": ' }), 400);
    assert.equal(j.code, 'MALFORMED_BODY');
    const t = await problem(await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, rawBody: 'group=carrier', contentType: 'application/x-www-form-urlencoded' }), 400);
    assert.match(t.detail, /application\/json/);
  });

  it('a number the outbound service refuses: 400 INVALID_NUMBER naming the field number', async () => {
    const p = await problem(await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, body: { group: 'carrier', number: 'call me maybe' } }), 400);
    assert.equal(p.code, 'INVALID_NUMBER');
    assert.equal(p.field, 'number');
    assert.equal(p.type, 'urn:tdmgate:problem:invalid-number');
    assert.equal(p.instance, '/api/v1/calls');
    assert.match(p.detail, /call me maybe/);
    const g = await problem(await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, body: { group: 'nowhere', number: '+4930555111' } }), 404);
    assert.equal(g.field, 'group');
  });

  it('originate: POST /calls dials, GET /calls and /channels show the call, DELETE hangs it up', async () => {
    const res = await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, body: { group: 'carrier', number: '030 1234-5678', target: 'sales' } });
    assert.equal(res.status, 202);
    const { callId } = (await res.json()) as { callId: string };
    assert.equal(res.headers.get('location'), `/api/v1/calls/${callId}`);
    type Call = { id: string; callId: string; direction: string; state: string; asteriskChannel: string; span: number; called: string; reference: string; channel: number | null; answeredAt: string | null };
    const up = await waitFor(async () => {
      const list = (await (await api.call('GET', '/api/v1/calls', { token: api.secrets.viewer })).json()) as { calls: Call[] };
      return list.calls.find((c) => c.callId === callId && c.channel !== null && c.answeredAt !== null);
    }, `call ${callId} answered in GET /calls`);
    assert.match(up.asteriskChannel, /^DAHDI\//);
    assert.equal(up.direction, 'outbound');
    assert.equal(up.span, 1);
    assert.equal(up.called, '03012345678');
    assert.equal(up.reference, 'api:operator');
    const one = (await (await api.call('GET', `/api/v1/calls/${callId}`, { token: api.secrets.viewer })).json()) as { calls: Call[] };
    assert.deepEqual(one.calls.map((c) => c.id), [up.id]);
    const channels = (await (await api.call('GET', `/api/v1/channels?span=1&state=in-call`)).json()) as { channels: { channel: number; direction: string; call: Call | null }[] };
    const onChannel = channels.channels.find((c) => c.channel === up.channel);
    assert.equal(onChannel?.direction, 'out');
    assert.equal(onChannel?.call?.callId, callId);

    assert.equal((await api.call('DELETE', `/api/v1/calls/${callId}`, { token: api.secrets.operator })).status, 202);
    await waitFor(async () => {
      const list = (await (await api.call('GET', '/api/v1/calls')).json()) as { calls: Call[] };
      return list.calls.every((c) => c.callId !== callId);
    }, `call ${callId} gone from GET /calls`);
    await waitFor(async () => (await api.sup.db.knex('cdr').where({ linkedid: callId })).length === 1, `the CDR of ${callId}`);
    assert.equal((await problem(await api.call('DELETE', `/api/v1/calls/${callId}`, { token: api.secrets.operator }), 404)).code, 'NOT_FOUND');
  });

  it('every mutating request is audited - who, what, from where, the status - refused ones too, never a secret', async () => {
    await api.call('POST', '/api/v1/calls', { token: api.secrets.viewer, body: { group: 'carrier', number: '+4930555111', variables: { PASSWORD: 'hunter2' } } });
    await api.call('DELETE', '/api/v1/calls/nothing-here', { token: null });
    type Entry = { tokenName: string; method: string; path: string; remote: string; status: number; body: string; at: string };
    const entries = await waitFor(async () => {
      const r = (await (await api.call('GET', '/api/v1/audit?limit=50')).json()) as { entries: Entry[] };
      return r.entries.some((e) => e.path === '/api/v1/calls/nothing-here') ? r.entries : undefined;
    }, 'the audit rows');
    const forbidden = entries.find((e) => e.tokenName === 'viewer' && e.method === 'POST' && e.path === '/api/v1/calls');
    assert.equal(forbidden?.status, 403);
    assert.match(forbidden?.remote ?? '', /127\.0\.0\.1/);
    assert.match(forbidden?.body ?? '', /"number":"\+4930555111"/);
    assert.doesNotMatch(forbidden?.body ?? '', /hunter2/);
    assert.equal(entries.find((e) => e.path === '/api/v1/calls/nothing-here')?.status, 401);
    const placed = entries.find((e) => e.tokenName === 'operator' && e.method === 'POST' && e.status === 202);
    assert.ok(placed, 'the accepted originate');
    assert.equal(entries.find((e) => e.method === 'DELETE' && e.path === '/api/v1/tokens/crm')?.tokenName, 'admin');
    // Reads are not audited.
    assert.ok(entries.every((e) => e.method !== 'GET'));
    for (const s of Object.values(api.secrets)) assert.ok(entries.every((e) => !e.body.includes(s)));
  });

  it('hardware and trunks: spans with alarms, counters, rates, D-channel and clock source; groups with their reserve', async () => {
    const spans = (await (await api.call('GET', '/api/v1/spans', { token: api.secrets.viewer })).json()) as { spans: { span: number; alarms: string[]; counters: Record<string, number | null>; dchannel: string | null; clockSource: { span: number }; rates: unknown }[] };
    const s1 = spans.spans.find((s) => s.span === 1);
    assert.ok(s1);
    assert.deepEqual(s1.alarms, []);
    assert.ok('crc4' in s1.counters);
    assert.equal(s1.dchannel, 'up', 'a clean PRI span');
    assert.equal(typeof s1.clockSource.span, 'number');
    const unknown = await problem(await api.call('GET', '/api/v1/spans/99'), 404);
    assert.equal(unknown.code, 'UNKNOWN_SPAN');
    const chans = (await (await api.call('GET', '/api/v1/spans/1/channels')).json()) as { channels: unknown[] };
    assert.ok(chans.channels.length >= 30);
    const cards = (await (await api.call('GET', '/api/v1/cards')).json()) as { cards: unknown[] };
    assert.ok(cards.cards.length >= 1);
    const groups = (await (await api.call('GET', '/api/v1/groups')).json()) as { groups: { name: string; free: number; inUse: number; blocked: number; reserved: number; freeForOutbound: number }[] };
    const carrier = groups.groups.find((g) => g.name === 'carrier');
    assert.ok(carrier && carrier.free > 0);
    assert.equal(carrier.freeForOutbound, carrier.free - carrier.reserved);
    const byNumber = (await (await api.call('GET', '/api/v1/groups/1')).json()) as { name: string };
    assert.equal(byNumber.name, 'carrier');
    assert.equal((await problem(await api.call('GET', '/api/v1/channels?state=dancing'), 400)).errors?.[0]?.field, '/state');
    const health = await api.call('GET', '/api/v1/health', { token: api.secrets.viewer });
    assert.equal(((await health.json()) as { checks: Record<string, unknown> }).checks.ari !== undefined, true);
  });

  it('a span in alarm: its alarms, the D-channel down, its channels blocked, the group\'s blocked count', async () => {
    type Span = { alarms: string[]; inAlarm: boolean; dchannel: string | null };
    const before = (await (await api.call('GET', '/api/v1/groups/carrier')).json()) as { blocked: number };
    api.sim.raiseFault(2, 'LOS');
    const span = await waitFor(async () => {
      const s = (await (await api.call('GET', '/api/v1/spans/2')).json()) as Span;
      return s.dchannel === 'down' && s.alarms.length > 0 ? s : undefined;
    }, 'span 2 in alarm with its D-channel down');
    assert.ok(span.inAlarm);
    assert.ok(span.alarms.includes('LOS'), span.alarms.join(','));
    await waitFor(async () => {
      const c = (await (await api.call('GET', '/api/v1/channels?span=2')).json()) as { channels: { state: string }[] };
      return c.channels.length > 0 && c.channels.every((x) => x.state === 'blocked-alarm');
    }, 'span 2\'s channels blocked');
    const after = (await (await api.call('GET', '/api/v1/groups/carrier')).json()) as { blocked: number };
    assert.ok(after.blocked >= before.blocked + 30, `${before.blocked} -> ${after.blocked}`);
    api.sim.clearFault(2);
    await waitFor(async () => ((await (await api.call('GET', '/api/v1/spans/2')).json()) as Span).dchannel === 'up', 'span 2\'s D-channel up again', 15_000);
  });

  it('a query parameter or a body the route does not take is refused, naming it', async () => {
    const p = await problem(await api.call('GET', '/api/v1/calls?sort=desc'), 400);
    assert.deepEqual(p.errors?.map((e) => [e.in, e.field, e.message]), [['query', '/sort', 'is not a known field']]);
    const b = await problem(await api.call('DELETE', '/api/v1/calls/x', { token: api.secrets.operator, body: { cause: 17 } }), 400);
    assert.deepEqual(b.errors?.map((e) => [e.in, e.message]), [['body', 'this route takes no body']]);
  });

  it('unknown routes are 404 and known paths with another method 405, as problem+json', async () => {
    assert.equal((await problem(await api.call('GET', '/api/v1/nothing'), 404)).code, 'NOT_FOUND');
    const res = await api.call('PUT', '/api/v1/calls');
    assert.equal(res.headers.get('allow'), 'GET, POST');
    assert.equal((await problem(res, 405)).code, 'METHOD_NOT_ALLOWED');
  });

  it('the job queues off: their routes answer 503 QUEUES_OFF', async () => {
    assert.equal((await problem(await api.call('GET', '/api/v1/jobs'), 503)).code, 'QUEUES_OFF');
    assert.equal((await problem(await api.call('POST', '/api/v1/campaigns/x/pause', { token: api.secrets.operator }), 503)).code, 'QUEUES_OFF');
  });
});

describe('REST API rate limit', function () {
  this.timeout(60_000);
  let api: ApiTestSupervisor;
  // Two requests at once, then one every 1000 s: the third is refused, whatever the machine's speed.
  before(async () => (api = await startApiSupervisor({ rateLimit: { burst: 2, perSecond: 0.001 } })));
  after(() => api?.stop());

  it('a token that empties its bucket gets 429 with Retry-After; another token is not held back', async () => {
    assert.equal((await api.call('GET', '/api/v1/groups', { token: api.secrets.viewer })).status, 200);
    assert.equal((await api.call('GET', '/api/v1/groups', { token: api.secrets.viewer })).status, 200);
    const res = await api.call('GET', '/api/v1/groups', { token: api.secrets.viewer });
    assert.equal(Number(res.headers.get('retry-after')), 1000);
    const p = await problem(res, 429);
    assert.equal(p.code, 'RATE_LIMITED');
    assert.match(p.detail, /viewer/);
    assert.equal((await api.call('GET', '/api/v1/groups', { token: api.secrets.operator })).status, 200);
  });
});
