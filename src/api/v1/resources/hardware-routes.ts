// Cards and spans as the hardware reports them: GET /cards, GET /spans (alarms, counters and
// their rates, D-channel state, clock source), GET /spans/{span} and GET /spans/{span}/channels
// (DAHDI's view of each channel: signalling, hook, ABCD bits). Read-only; viewer.

import type { HardwareBackend, SpanStatus } from '../../../hardware/types';
import { route, type AnyRoute } from '../route-types';
import { listOf, shape, SPAN_PARAM } from './schemas';
import type { DchannelStates } from '../../dchannel-states';
import type { SpanReadings } from './span-readings';

export interface HardwareDeps {
  backend: Pick<HardwareBackend, 'cards' | 'spans' | 'span' | 'channels'>;
  readings: SpanReadings;
  dchannels: Pick<DchannelStates, 'of'>;
}

const SPAN_VIEW = shape({
  span: { type: 'integer' }, name: { type: 'string' }, spanType: { type: 'string' }, alarms: { type: 'array', items: { type: 'string' } },
  inAlarm: { type: 'boolean' }, counters: { type: 'object' }, rates: { type: ['object', 'null'], description: 'per second over `seconds`; null until two readings a second apart' },
  dchannel: { enum: ['up', 'down', null], description: 'reported by the hardware where it reports it, else down while the span is in alarm; null without a D-channel' }, clockSource: { type: 'object' }, driver: { type: 'string' },
}, ['span', 'alarms', 'counters', 'rates', 'dchannel', 'clockSource']);

function spanView(s: SpanStatus, readings: SpanReadings, dchannels: Pick<DchannelStates, 'of'>): Record<string, unknown> {
  return {
    span: s.span, name: s.name, description: s.description, spanType: s.spanType, driver: s.driver,
    alarms: s.alarmNames, inAlarm: s.alarms !== 0, counters: s.counters, rates: readings.ratesOf(s),
    dchannel: dchannels.of(s),
    // DAHDI's sync source: the span the clock is recovered from, 0 = the card's own (free run).
    clockSource: { span: s.syncSource, freeRun: s.syncSource === 0, fromThisSpan: s.syncSource === s.span },
    lineConfig: s.lineConfigNames, lbo: s.lboName, baseChannel: s.baseChannel, totalChannels: s.totalChannels, configuredChannels: s.configuredChannels,
    location: s.location, manufacturer: s.manufacturer, deviceType: s.deviceType,
  };
}

export function hardwareRoutes(d: HardwareDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/cards', permission: 'viewer', operationId: 'listCards', tag: 'hardware',
      summary: 'the voice cards in the box: vendor, model, ports, driver module and whether it is loaded',
      responses: { 200: { description: 'the cards', schema: shape({ cards: listOf({ type: 'object' }) }) } },
      handle: async () => ({ body: { cards: await d.backend.cards() } }),
    }),
    route({
      method: 'get', path: '/spans', permission: 'viewer', operationId: 'listSpans', tag: 'hardware',
      summary: 'every span: alarms, error counters and their rates, D-channel state, clock source',
      responses: { 200: { description: 'the spans', schema: shape({ spans: listOf(SPAN_VIEW) }) } },
      handle: async () => ({ body: { spans: (await d.backend.spans()).map((s) => spanView(s, d.readings, d.dchannels)) } }),
    }),
    route<{ span: number }>({
      method: 'get', path: '/spans/{span}', permission: 'viewer', operationId: 'getSpan', tag: 'hardware',
      summary: 'one span: alarms, counters and rates, D-channel, clock source',
      params: SPAN_PARAM,
      responses: { 200: { description: 'the span', schema: SPAN_VIEW }, 404: { description: 'no such span (UNKNOWN_SPAN names those that exist)' } },
      handle: async ({ params }) => ({ body: spanView(await d.backend.span(params.span), d.readings, d.dchannels) }),
    }),
    route<{ span: number }>({
      method: 'get', path: '/spans/{span}/channels', permission: 'viewer', operationId: 'listSpanChannels', tag: 'hardware',
      summary: 'the DAHDI channels of a span: signalling, hook state, ABCD bits, in use',
      params: SPAN_PARAM,
      responses: { 200: { description: 'the channels', schema: shape({ span: { type: 'integer' }, channels: listOf({ type: 'object' }) }) } },
      handle: async ({ params }) => ({ body: { span: params.span, channels: await d.backend.channels(params.span) } }),
    }),
  ];
}
