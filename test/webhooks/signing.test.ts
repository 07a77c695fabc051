// The pure parts of the webhooks: signing and a receiver's verification (replay window
// included), the answer classification, the payload, and the config's `webhooks:` list with
// its errors naming the key.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { callEvent, CallEvents, type CallEvent } from '../../src/supervisor/calls/call-events';
import type { Leg } from '../../src/supervisor/calls/leg';
import { loadConfig } from '../../src/supervisor/config';
import { isSupervisorError } from '../../src/supervisor/supervisor-errors';
import { deliveryId, webhookBody, webhookJob } from '../../src/webhooks/payload';
import { classifyStatus } from '../../src/webhooks/post';
import { sign, signedHeaders, verify } from '../../src/webhooks/signing';
import { safeUrl } from '../../src/webhooks/webhook-dispatcher';

const SECRET = 'whsec-0123456789abcdef';

describe('webhooks: signing and verification', () => {
  const body = '{"event":"ring"}';

  it('signs HMAC-SHA256 hex over timestamp.body, as any receiver can recompute', () => {
    const expected = createHmac('sha256', SECRET).update(`1700000000.${body}`).digest('hex');
    assert.equal(sign(SECRET, '1700000000', body), expected);
    const h = signedHeaders(SECRET, body, { event: 'ring', deliveryId: 'c1.ring', attempt: 2 }, 1_700_000_000.9);
    assert.equal(h['X-Tdmgate-Signature'], `sha256=${expected}`);
    assert.equal(h['X-Tdmgate-Timestamp'], '1700000000');
    assert.equal(h['X-Tdmgate-Event'], 'ring');
    assert.equal(h['X-Tdmgate-Delivery'], 'c1.ring');
    assert.equal(h['X-Tdmgate-Attempt'], '2');
  });

  it('verifies a good signature and refuses a changed body, another secret, or a malformed header', () => {
    const h = signedHeaders(SECRET, body, { event: 'ring', deliveryId: 'x', attempt: 1 }, 1000);
    const ts = h['X-Tdmgate-Timestamp'] as string;
    const sig = h['X-Tdmgate-Signature'] as string;
    assert.deepEqual(verify(SECRET, ts, body, sig, 300, 1000), { ok: true });
    assert.deepEqual(verify(SECRET, ts, body, sig.toUpperCase().replace('SHA256', 'sha256'), 300, 1000), { ok: true });
    assert.deepEqual(verify(SECRET, ts, `${body} `, sig, 300, 1000), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verify(`${SECRET}x`, ts, body, sig, 300, 1000), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verify(SECRET, ts, body, sig.slice('sha256='.length), 300, 1000), { ok: false, reason: 'malformed' });
    assert.deepEqual(verify(SECRET, 'soon', body, sig, 300, 1000), { ok: false, reason: 'malformed' });
    // The timestamp is in the MAC: moving it to pass the window breaks the signature.
    assert.deepEqual(verify(SECRET, '1200', body, sig, 300, 1300), { ok: false, reason: 'mismatch' });
  });

  it('refuses a replay outside the window, either way, and accepts one inside it', () => {
    const sig = `sha256=${sign(SECRET, '1000', body)}`;
    assert.deepEqual(verify(SECRET, '1000', body, sig, 300, 1300), { ok: true });
    assert.deepEqual(verify(SECRET, '1000', body, sig, 300, 1301), { ok: false, reason: 'stale' });
    assert.deepEqual(verify(SECRET, '1000', body, sig, 300, 699), { ok: false, reason: 'stale' });
    assert.deepEqual(verify(SECRET, '1000', body, sig, 10, 1011), { ok: false, reason: 'stale' });
  });
});

describe('webhooks: what an answer means', () => {
  it('2xx delivered, 410 gone, 408/429/5xx retried, other answers refused', () => {
    assert.equal(classifyStatus(200).kind, 'delivered');
    assert.equal(classifyStatus(204).kind, 'delivered');
    assert.equal(classifyStatus(410).kind, 'gone');
    for (const s of [408, 429, 500, 502, 503]) assert.equal(classifyStatus(s).kind, 'retry', String(s));
    for (const s of [301, 400, 401, 403, 404, 422]) assert.equal(classifyStatus(s).kind, 'refused', String(s));
  });
});

describe('webhooks: payload and call events', () => {
  const leg = { id: '1700.5', direction: 'outbound', span: 2, timeslot: 7, groupName: 'carrier' } as Leg;
  const parties = { callId: 'tdmgate-o-ab', caller: '0691', called: '030555', route: 'outbound:sales', target: 'sales', reference: 'job-9' };

  it('the body carries the call, its numbers, route and job reference; the delivery id is per channel and kind', () => {
    const e = callEvent(leg, parties, 'hangup', new Date('2025-01-02T03:04:05.678Z'), { cause: 17, disposition: 'BUSY', billsec: 0 });
    assert.equal(deliveryId(e), '1700.5.hangup');
    assert.deepEqual(webhookBody(e), {
      id: '1700.5.hangup', event: 'hangup', at: '2025-01-02T03:04:05.678Z',
      call: { id: 'tdmgate-o-ab', channelId: '1700.5', direction: 'outbound', span: 2, timeslot: 7, group: 'carrier', caller: '0691', called: '030555', route: 'outbound:sales', target: 'sales', jobReference: 'job-9' },
      end: { cause: 17, disposition: 'BUSY', billsec: 0 },
    });
    const job = webhookJob(e);
    assert.equal(job.body, JSON.stringify(webhookBody(e)));
    assert.equal(job.at, Date.parse('2025-01-02T03:04:05.678Z'));
    assert.equal(deliveryId({ channelId: 'a:b', kind: 'ring' }), 'a_b.ring');
  });

  it('a listener that throws is counted and never reaches the emitting call', () => {
    const events = new CallEvents();
    assert.equal(events.listening, false);
    const seen: CallEvent[] = [];
    const off = events.on(() => {
      throw new Error('boom');
    });
    events.on((e) => seen.push(e));
    events.emit(callEvent(leg, parties, 'ring', new Date(), null));
    assert.equal(seen.length, 1);
    assert.equal(events.listenerErrors, 1);
    off();
    assert.equal(events.listening, true);
  });

  it('logs show an endpoint without credentials or query', () => {
    assert.equal(safeUrl('https://user:pw@crm.example/hook?token=abc'), 'https://crm.example/hook');
  });
});

describe('webhooks: the config file\'s webhooks list', () => {
  const load = (yaml: string, files: Record<string, string> = {}) => loadConfig({
    env: { TDMGATE_DATA_DIR: '/tmp/x' }, flags: { config: '/etc/tdmgate/tdmgate.yaml' },
    readText: (f) => (f === '/etc/tdmgate/tdmgate.yaml' ? Promise.resolve(yaml) : f in files ? Promise.resolve(files[f] as string) : Promise.reject(Object.assign(new Error('no'), { code: 'ENOENT' }))),
  });
  const refused = async (yaml: string, key: RegExp, files: Record<string, string> = {}): Promise<string> => {
    let message = '';
    await assert.rejects(load(yaml, files), (err: unknown) => {
      message = (err as Error).message;
      return isSupervisorError(err) && key.test(message);
    });
    return message;
  };

  it('reads endpoints with defaults, a secret file beside the config, and a stable name', async () => {
    const config = await load(`webhooks:
  - { url: "https://crm.example/hook", secretFile: crm.secret }
  - { name: crm2, url: "http://10.0.0.5:8080/pop", secret: "${SECRET}", events: [ring], concurrency: 8, attempts: 3, backoffSeconds: 0.5, timeoutSeconds: 2 }
`, { '/etc/tdmgate/crm.secret': `${SECRET}-file\n` });
    const [a, b] = config.webhooks;
    assert.equal(a?.secret, `${SECRET}-file`);
    assert.deepEqual(a?.events, ['ring', 'answer', 'hangup']);
    assert.equal(a?.concurrency, 4);
    assert.match(a?.name ?? '', /^crm\.example-[0-9a-f]{8}$/);
    assert.equal((await load(`webhooks:\n  - { url: "https://crm.example/hook", secret: "${SECRET}" }\n`)).webhooks[0]?.name, a?.name);
    assert.deepEqual({ ...b, secret: '' }, { name: 'crm2', url: 'http://10.0.0.5:8080/pop', secret: '', events: ['ring'], concurrency: 8, attempts: 3, backoffMs: 500, timeoutMs: 2000 });
    assert.deepEqual((await load('site: x\n')).webhooks, []);
  });

  it('refuses bad endpoints naming the key, and never shows the secret', async () => {
    await refused('webhooks: { url: x }\n', /webhooks: must be a list/);
    await refused('webhooks:\n  - { secret: "0123456789abcdefgh" }\n', /webhooks\[0\]\.url: is required/);
    await refused('webhooks:\n  - { url: "ftp://x/", secret: "0123456789abcdefgh" }\n', /webhooks\[0\]\.url: protocol ftp:/);
    const short = await refused('webhooks:\n  - { url: "http://x/", secret: "hunter2" }\n', /webhooks\[0\]\.secret: the secret has 7 characters/);
    assert.doesNotMatch(short, /hunter2/);
    await refused('webhooks:\n  - { url: "http://x/" }\n', /webhooks\[0\]\.secret: is required/);
    await refused('webhooks:\n  - { url: "http://x/", secret: "0123456789abcdefgh", secretFile: f }\n', /both set/);
    await refused('webhooks:\n  - { url: "http://x/", secretFile: missing }\n', /webhooks\[0\]\.secretFile: cannot read \/etc\/tdmgate\/missing: ENOENT/);
    await refused('webhooks:\n  - { url: "http://x/", secret: "0123456789abcdefgh", events: [ring, hold] }\n', /webhooks\[0\]\.events: "hold" is not a webhook event.*allowed: a list of ring, answer, hangup, fraud\.alert/);
    await refused('webhooks:\n  - { url: "http://x/", secret: "0123456789abcdefgh", concurrency: 0 }\n', /webhooks\[0\]\.concurrency: 0 is not allowed/);
    await refused('webhooks:\n  - { url: "http://x/", secret: "0123456789abcdefgh", retries: 3 }\n', /webhooks\[0\]\.retries: is not a known key/);
    await refused('webhooks:\n  - { name: a, url: "http://x/", secret: "0123456789abcdefgh" }\n  - { name: a, url: "http://y/", secret: "0123456789abcdefgh" }\n', /webhooks\[1\]\.name: "a" is used/);
  });
});
