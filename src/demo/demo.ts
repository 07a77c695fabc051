// The demo: on simulated cards with no ARI URL configured, an in-process ARI stand-in plays
// Asterisk - inbound calls on the sim's timeslots at a steady rate, a far end that answers,
// is busy, does not answer or is congested - and a dialler that queues call jobs the way a CRM
// does (or, without Redis, asks the outbound service directly). Only the composition root wires it; the supervisor never knows
// whether it talks to this or to a real Asterisk.

import { randomBytes } from 'node:crypto';
import { AriStandin, planFromSite, type TrafficGenerator } from './ari-standin';
import type { HardwareBackend } from '../hardware/types';
import type { SiteConfig } from '../provisioning/site/site-types';
import { DEFAULT_OUTBOUND_PLACE } from '../supervisor/outbound/request';
import type { TrunkMapLogger } from '../supervisor/trunk-map';
import { DEMO_DIAL_MIX, startDemoDialler, type DemoDialler, type PlaceCall } from './demo-dialler';

export interface DemoOptions {
  backend: HardwareBackend;
  site: SiteConfig;
  /** The Stasis application the stand-in sends its inbound calls to. */
  app: string;
  logger: TrunkMapLogger;
  /** Inbound calls per minute; 0 = the stand-in alone, no traffic (tests drive it themselves). */
  callsPerMinute: number;
  /** Place outbound calls too: only on the demo site, whose groups and targets the dialler knows. */
  outbound: boolean;
  /** How often the stand-in looks at the sim's span alarms (tests shorten it). */
  spanWatchMs?: number;
}

export interface AriCredentials {
  url: string;
  user: string;
  password: string;
}

/** The DIDs of the demo site's routing: sales, support, a VIP line, the default route. */
const DEMO_DIDS = ['691234501', '691234512', '691234599', '6912347', '6912347', '100'];

export class Demo {
  private traffic: TrafficGenerator | null = null;
  private dialler: DemoDialler | null = null;

  private constructor(
    readonly standin: AriStandin,
    readonly ari: AriCredentials,
    private readonly o: DemoOptions,
  ) {}

  /** Starts the stand-in; no call flows until startCalls(). */
  static async start(o: DemoOptions): Promise<Demo> {
    const password = randomBytes(12).toString('hex');
    const traffic = o.callsPerMinute > 0;
    const trunks = planFromSite(o.site);
    const standin = new AriStandin({
      user: 'tdmgate', password, hardware: o.backend, trunks, defaultApp: o.app,
      // The site's routing targets, and the place answered outbound calls without a target go to
      // (docs/supervisor.md): what the dialplan of a real box beside this site would have.
      dialplan: { ...trunks.dialplan, [DEFAULT_OUTBOUND_PLACE.context]: [{ exten: DEFAULT_OUTBOUND_PLACE.extension, app: 'Queue', appData: 'outbound' }] },
      ...(traffic ? { dial: { ...DEMO_DIAL_MIX, seed: Date.now() % 100_000 } } : {}),
      ...(o.spanWatchMs ? { spanWatchMs: o.spanWatchMs } : {}),
    });
    const started = await standin.start();
    o.logger.info({ url: started.url }, 'built-in ARI stand-in started (simulated Asterisk)');
    return new Demo(standin, { url: started.url, user: 'tdmgate', password }, o);
  }

  /** Inbound traffic, and outbound calls through `place`: call once our app is registered. */
  startCalls(place: PlaceCall): void {
    const { callsPerMinute, logger } = this.o;
    if (callsPerMinute <= 0 || this.traffic) return;
    this.traffic = this.standin.startTraffic({
      callsPerMinute, seed: Date.now() % 100_000, spans: [1, 2], dids: DEMO_DIDS,
      abandonRatio: 0.15, abandonMs: { min: 1000, max: 8000 }, talkMs: { mean: 20_000, min: 3000, max: 90_000 },
    });
    logger.info({ callsPerMinute }, 'demo traffic started on the stand-in');
    if (!this.o.outbound) return;
    const perMinute = Math.max(1, Math.round(callsPerMinute / 5));
    this.dialler = startDemoDialler(place, { callsPerMinute: perMinute, group: 'carrier', target: 'sales', timeoutSeconds: 20, logger });
    logger.info({ callsPerMinute: perMinute }, 'demo outbound calls started');
  }

  /** Stops placing calls; the stand-in itself stops with stop(). */
  stopCalls(): void {
    this.traffic?.stop();
    this.dialler?.stop();
  }

  async stop(): Promise<void> {
    this.stopCalls();
    await this.standin.stop();
  }
}
