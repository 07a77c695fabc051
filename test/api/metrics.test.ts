// /metrics end to end: the supervisor on the sim with the ARI stand-in, scraped over HTTP and
// parsed. Every family follows Prometheus naming (the tdmgate_ prefix, _total on counters only,
// base units), no label can take unbounded values (every label name is on an allow-list, and no
// value is a call id or a number), a span alarm raised in the sim shows, and a demo call moves
// the calls counter and the decision histogram.

import assert from 'node:assert/strict';
import { parseExposition, type Sample } from '../../src/cli/check/exposition';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';
import { waitFor } from '../wait-for';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';

/** Label names whose values come from small closed sets (or the site's own groups and spans). */
const BOUNDED_LABELS = new Set(['span', 'alarm', 'counter', 'condition', 'group', 'state', 'direction', 'outcome', 'cause_class', 'result', 'reason', 'rule', 'le']);

interface Family {
  name: string;
  type: string;
  samples: Sample[];
}

async function scrape(url: string): Promise<{ text: string; families: Family[]; contentType: string }> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1] as string, type: m[2] as string }));
  const samples = parseExposition(text);
  const families = types.map((t) => ({
    ...t,
    samples: samples.filter((s) => s.name === t.name || (t.type === 'histogram' && /^(.*)_(bucket|sum|count)$/.exec(s.name)?.[1] === t.name)),
  }));
  return { text, families, contentType: res.headers.get('content-type') ?? '' };
}

function value(families: readonly Family[], name: string, labels: Record<string, string>): number | undefined {
  const samples = families.flatMap((f) => f.samples);
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

function sum(families: readonly Family[], name: string, labels: Record<string, string> = {}): number {
  return families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

describe('/metrics (supervisor on the sim)', function () {
  this.timeout(30_000);
  let running: TestSupervisor;
  beforeEach(async () => {
    running = await startTestSupervisor({ name: 'SQLite', url: undefined });
  });
  afterEach(() => running.stop());

  it('every family follows the naming rules and every label is bounded', async () => {
    const { families, contentType, text } = await scrape(running.sup.url);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    assert.ok(families.length >= 15, `families: ${families.map((f) => f.name).join(', ')}`);
    for (const f of families) {
      assert.match(f.name, /^tdmgate_[a-z0-9_]+$/, f.name);
      // _total marks counters and only counters.
      assert.equal(f.name.endsWith('_total'), f.type === 'counter', `${f.name} is a ${f.type}`);
      // Base units only: seconds and bytes, never milliseconds or kilobytes.
      assert.doesNotMatch(f.name, /_(milliseconds|ms|microseconds|minutes|hours|kilobytes|megabytes|kb|mb)(_|$)/, f.name);
      if (f.type === 'histogram') assert.match(f.name, /_seconds$/, `${f.name}: durations in seconds`);
      assert.match(text, new RegExp(`^# HELP ${f.name} \\S`, 'm'), `${f.name} has help`);
    }
    const series = families.flatMap((f) => f.samples);
    assert.ok(series.length > 0);
    for (const s of series) {
      for (const [label, v] of Object.entries(s.labels)) {
        assert.ok(BOUNDED_LABELS.has(label), `${s.name} has label ${label}`);
        if (label === 'le') continue; // histogram bucket bounds, '+Inf' included
        // No call ids, channel names or phone numbers in label values.
        assert.doesNotMatch(v, /^\d{5,}$|^\+|DAHDI\/|^tdmgate-o-|^[0-9a-f]{8}-/, `${s.name}{${label}="${v}"}`);
      }
    }
    const names = families.map((f) => f.name);
    for (const expected of ['tdmgate_span_alarm', 'tdmgate_span_errors_total', 'tdmgate_trunk_channels', 'tdmgate_calls_total', 'tdmgate_inbound_decision_duration_seconds', 'tdmgate_cdr_spool_bytes', 'tdmgate_ari_connection_state']) {
      assert.ok(names.includes(expected), `${expected} is exposed`);
    }
    assert.equal(value(families, 'tdmgate_ari_connection_state', { state: 'ready' }), 1);
    assert.equal(value(families, 'tdmgate_cdr_sink_state', { state: 'ready' }), 1);
    assert.equal(value(families, 'tdmgate_trunk_channels', { group: 'carrier', state: 'idle' }), 60);
    // The sim's driver does not report bpv: no series rather than a misleading 0.
    assert.equal(value(families, 'tdmgate_span_errors_total', { span: '1', counter: 'bpv' }), undefined);
    assert.equal(value(families, 'tdmgate_span_errors_total', { span: '1', counter: 'crc4' }), 0);
  });

  it('a span alarm raised on the card shows in the span alarm and channel families', async () => {
    const before = (await scrape(running.sup.url)).families;
    assert.equal(value(before, 'tdmgate_span_alarm', { span: '2', alarm: 'LOS' }), 0);
    running.sim.raiseFault(2, 'LOS');
    const after = await waitFor(async () => {
      const { families } = await scrape(running.sup.url);
      return value(families, 'tdmgate_span_channels', { span: '2', state: 'blocked-alarm' }) === 30 ? families : undefined;
    }, 'span 2 blocked in /metrics');
    assert.equal(value(after, 'tdmgate_span_alarm', { span: '2', alarm: 'LOS' }), 1);
    assert.equal(value(after, 'tdmgate_span_alarm', { span: '2', alarm: 'RED' }), 1);
    assert.equal(value(after, 'tdmgate_span_alarm', { span: '1', alarm: 'LOS' }), 0);
    assert.equal(value(after, 'tdmgate_span_condition', { span: '2', condition: 'alarm' }), 1);
    assert.equal(value(after, 'tdmgate_trunk_channels', { group: 'carrier', state: 'blocked-alarm' }), 30);
  });

  it('a call moves the calls counter and the decision histogram, by direction, outcome and cause class', async () => {
    const { sup } = running;
    const before = (await scrape(sup.url)).families;
    const decided = sum(before, 'tdmgate_inbound_decision_duration_seconds_count', { outcome: 'routed' });
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
    await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support'), 'routed');
    // Timed once Asterisk has accepted the continue: the REST answer may follow the channel's move.
    const during = await waitFor(async () => {
      const { families } = await scrape(sup.url);
      return sum(families, 'tdmgate_inbound_decision_duration_seconds_count', { outcome: 'routed' }) === decided + 1 ? families : undefined;
    }, 'the decision timed');
    assert.equal(value(during, 'tdmgate_inbound_decision_duration_seconds_bucket', { outcome: 'routed', le: '+Inf' }), decided + 1);
    assert.ok(sum(during, 'tdmgate_inbound_decision_duration_seconds_sum', { outcome: 'routed' }) > 0);
    assert.equal(value(during, 'tdmgate_calls_active', { direction: 'inbound' }), 1);
    sup.standin!.remoteHangup(ch.id, 16);
    const after = await waitFor(async () => {
      const { families } = await scrape(sup.url);
      return sum(families, 'tdmgate_calls_total') > sum(before, 'tdmgate_calls_total') ? families : undefined;
    }, 'the call counted');
    assert.equal(value(after, 'tdmgate_calls_total', { direction: 'inbound', outcome: 'answered', cause_class: 'normal' }), 1);
    // A blacklisted caller is rejected with cause 21 (call rejected: a normal-class cause).
    const rejected = sup.standin!.placeInboundCall({ did: '100', callerId: '09001234567' });
    await waitFor(async () => {
      const { families } = await scrape(sup.url);
      return value(families, 'tdmgate_calls_total', { direction: 'inbound', outcome: 'failed', cause_class: 'normal' }) === 1
        && sum(families, 'tdmgate_inbound_decision_duration_seconds_count', { outcome: 'rejected' }) === 1;
    }, `the rejected call ${rejected.id} counted and its decision timed`);
    await waitFor(async () => value((await scrape(sup.url)).families, 'tdmgate_cdr_records_total', { result: 'written' }) === 2, 'both CDRs written');
  });
});

describe('/metrics with the job queues on (the test Redis)', function () {
  this.timeout(30_000);
  let running: TestSupervisor;
  beforeEach(async () => {
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, { url: redisUrl(), prefix: uniquePrefix('metrics') });
    await waitFor(() => running.sup.queues?.dispatcher.ready, 'the queues connected to Redis');
  });
  afterEach(() => running.stop());

  it('a call job shows in the queue depth, its outcome and the outbound calls', async () => {
    const { sup } = running;
    const before = (await scrape(sup.url)).families;
    assert.equal(value(before, 'tdmgate_queue_redis_up', {}), 1);
    assert.equal(value(before, 'tdmgate_call_jobs_total', { outcome: 'completed' }), 0);
    const { key } = await sup.queues!.jobs.add({ group: 'carrier', number: '030 1234567', target: 'sales' });
    const done = await waitFor(async () => {
      const { families } = await scrape(sup.url);
      return value(families, 'tdmgate_call_jobs_total', { outcome: 'completed' }) === 1 ? families : undefined;
    }, `job ${key} completed in /metrics`);
    assert.equal(value(done, 'tdmgate_call_jobs_started_total', {}), 1);
    assert.equal(await waitFor(async () => value((await scrape(sup.url)).families, 'tdmgate_queue_jobs', { group: 'carrier', state: 'completed' }) || undefined, 'the completed job counted in Redis'), 1);
    const [job] = (await sup.queues!.jobs.list({ limit: 10 })).filter((j) => j.key === key);
    sup.standin!.remoteHangup(job?.result?.channelId as string, 16);
    await waitFor(async () => value((await scrape(sup.url)).families, 'tdmgate_calls_total', { direction: 'outbound', outcome: 'answered', cause_class: 'normal' }) === 1, 'the outbound call counted');
    for (const s of (await scrape(sup.url)).families.flatMap((f) => f.samples)) {
      for (const label of Object.keys(s.labels)) assert.ok(BOUNDED_LABELS.has(label), `${s.name} has label ${label}`);
    }
  });
});
