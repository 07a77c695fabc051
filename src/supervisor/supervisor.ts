// The supervisor: the site, the hardware backend, the TrunkMap, the CDR store and sink, the ARI
// adapter (or the built-in ARI stand-in on simulated cards), inbound call handling and the
// outbound service with reconciliation after every connect, and the health endpoints - started
// in that order and stopped in reverse, so every call record is acknowledged before the store
// closes.

import { randomBytes } from 'node:crypto';
import { AriStandin, planFromSite, type TrafficGenerator } from '../ari-standin';
import { openBackend } from '../hardware/open-backend';
import type { HardwareBackend } from '../hardware/types';
import { loadSiteFile } from '../provisioning/site/load';
import type { SiteConfig } from '../provisioning/site/site-types';
import { redact } from '../store/database-url';
import { AriAdapter } from './ari/ari-adapter';
import { CdrSink } from './cdr/cdr-sink';
import { openCdrWriter, type OpenedCdrWriter } from './cdr/open-cdr-writer';
import type { SupervisorConfig } from './config';
import { DEMO_DIAL_MIX, startDemoDialler, type DemoDialler } from './demo-dialler';
import { HealthServer } from './health-server';
import { InboundCalls } from './inbound-calls';
import { OutboundCalls } from './outbound/outbound-calls';
import { Reconciler } from './reconcile';
import { compileInbound } from './routing/compile';
import { SupervisorError } from './supervisor-errors';
import { TrunkMap, type TrunkMapLogger } from './trunk-map';

export const STASIS_APP = 'tdmgate';

export interface SupervisorOptions {
  config: SupervisorConfig;
  logger: TrunkMapLogger;
  /** The site used on simulated cards when config.site is null. */
  demoSitePath: string;
  /** Tests pass their own sim (to raise alarms); otherwise openBackend(config.backend). */
  backend?: HardwareBackend;
  /** Tuning for tests: short timeouts and intervals. */
  tuning?: { restTimeoutMs?: number; backoffMaxMs?: number; pingIntervalMs?: number; trunkIntervalMs?: number; cdrFlushMs?: number; standinSpanWatchMs?: number };
  /** Start the stand-in's traffic generator (the demo); default true when the stand-in runs. */
  demoTraffic?: boolean;
}

export class Supervisor {
  private traffic: TrafficGenerator | null = null;
  private dialler: DemoDialler | null = null;
  private stopped = false;
  healthUrl = '';

  private constructor(
    readonly site: SiteConfig,
    readonly backend: HardwareBackend,
    readonly trunkMap: TrunkMap,
    readonly db: OpenedCdrWriter,
    readonly sink: CdrSink,
    readonly standin: AriStandin | null,
    readonly ari: AriAdapter,
    readonly calls: InboundCalls,
    readonly outbound: OutboundCalls,
    readonly reconciler: Reconciler,
    readonly health: HealthServer,
    private readonly log: TrunkMapLogger,
  ) {}

  static async start(options: SupervisorOptions): Promise<Supervisor> {
    const { config, logger: log } = options;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const opened = options.backend ? { backend: options.backend, chosen: 'sim', reason: 'injected' } : await openBackend({ backend: config.backend });
      const backend = opened.backend;
      cleanups.push(() => backend.close());
      if (opened.chosen === 'dahdi' && config.ari === null) {
        throw new SupervisorError('CONFIG_INVALID', 'TDMGATE_ARI_URL: is required on DAHDI hardware (the ARI stand-in runs on simulated cards only)', { key: 'TDMGATE_ARI_URL', allowed: 'http://host:8088' });
      }
      if (opened.chosen === 'dahdi' && config.site === null) {
        throw new SupervisorError('CONFIG_INVALID', 'TDMGATE_SITE: is required on DAHDI hardware', { key: 'TDMGATE_SITE', allowed: 'the path of a site file' });
      }
      const sitePath = config.site ?? options.demoSitePath;
      const { site } = await loadSiteFile(sitePath);
      log.info({ backend: opened.chosen, why: opened.reason, site: sitePath }, 'hardware and site');

      const t = options.tuning ?? {};
      const trunkMap = TrunkMap.create({ site, backend, logger: log, ...(t.trunkIntervalMs ? { intervalMs: t.trunkIntervalMs } : {}) });
      await trunkMap.start();
      cleanups.push(() => trunkMap.stop());

      // SQLite CDRs are written on a worker thread, MySQL on this one; migrations run inside.
      const db = await openCdrWriter({ url: config.dbUrl, dataDir: config.dataDir, log });
      cleanups.push(() => db.close());
      const { writer } = db;
      const sink = new CdrSink({ writer, spoolDir: config.dataDir, ...(t.cdrFlushMs ? { flushIntervalMs: t.cdrFlushMs } : {}) });
      sink.on('status', (status) => log.info({ status }, 'CDR sink'));
      await sink.start();
      cleanups.push(() => sink.close());
      log.info({ database: db.target.dialect === 'sqlite' ? `sqlite ${db.target.filename}` : redact(config.dbUrl ?? ''), dataDir: config.dataDir }, 'CDR store');

      // The demo: the stand-in's traffic generator, a dial mix for its far end, outbound calls.
      const demo = config.ari === null && (options.demoTraffic ?? true) && config.demoRate > 0;
      let standin: AriStandin | null = null;
      let ariTarget = config.ari;
      if (ariTarget === null) {
        const password = randomBytes(12).toString('hex');
        standin = new AriStandin({
          user: 'tdmgate', password, hardware: backend, trunks: planFromSite(site), defaultApp: STASIS_APP,
          ...(demo ? { dial: { ...DEMO_DIAL_MIX, seed: Date.now() % 100_000 } } : {}),
          ...(t.standinSpanWatchMs ? { spanWatchMs: t.standinSpanWatchMs } : {}),
        });
        const started = await standin.start();
        const s = standin;
        cleanups.push(() => s.stop());
        ariTarget = { url: started.url, user: 'tdmgate', password };
        log.info({ url: started.url }, 'built-in ARI stand-in started (simulated Asterisk)');
      }

      const ari = new AriAdapter({
        url: ariTarget.url, user: ariTarget.user, password: ariTarget.password, app: STASIS_APP, logger: log,
        ...(t.restTimeoutMs ? { restTimeoutMs: t.restTimeoutMs } : {}), ...(t.backoffMaxMs ? { backoffMaxMs: t.backoffMaxMs } : {}),
        ...(t.pingIntervalMs !== undefined ? { pingIntervalMs: t.pingIntervalMs } : {}),
      });
      cleanups.push(() => ari.stop());
      const spanAlarms = async (span: number): Promise<string[]> => (await backend.span(span)).alarmNames;
      const calls = new InboundCalls({
        ari, trunkMap, rules: compileInbound(site), site, cdr: sink, logger: log, app: STASIS_APP,
        spanAlarms,
        answerBeforeContinue: standin !== null,
      });
      const outbound = new OutboundCalls({ ari, trunkMap, site, cdr: sink, logger: log, app: STASIS_APP, spanAlarms });
      // Outbound first: it owns our originated channels by id; inbound takes every other DAHDI one.
      const reconciler = new Reconciler(() => ari.listChannels(), [outbound, calls], log);
      // Our originated channels (by id) are outbound's, whatever Stasis args they come back with.
      ari.on('event', (e) => (outbound.owns(e.type === 'Dial' ? e.peer : e.channel) ? outbound : calls).onEvent(e));
      ari.on('ready', () => void reconciler.run().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'reconciliation failed: retried after the next reconnect')));
      ari.on('status', (status) => log.info({ status }, 'ARI status'));
      trunkMap.on('call-interrupted', (e) => {
        calls.onInterrupted(e);
        outbound.onInterrupted(e);
      });
      ari.start();

      const health = new HealthServer(() => ({
        ari: { ok: ari.status === 'ready', detail: ari.status },
        cdr: { ok: sink.status === 'ready' || sink.status === 'spooling', detail: sink.status },
        hardware: { ok: !sup.stopped, detail: opened.chosen },
      }));
      const sup: Supervisor = new Supervisor(site, backend, trunkMap, db, sink, standin, ari, calls, outbound, reconciler, health, log);
      const listening = await health.listen(config.listen);
      sup.healthUrl = listening.url;
      log.info({ url: listening.url, healthz: `${listening.url}/healthz`, readyz: `${listening.url}/readyz` }, 'health endpoints listening');

      if (standin && demo) {
        const s = standin;
        // Calls only make sense once our app is registered with the stand-in.
        ari.once('ready', () => {
          if (sup.stopped) return;
          sup.traffic = s.startTraffic({
            callsPerMinute: config.demoRate, seed: Date.now() % 100_000, spans: [1, 2],
            dids: ['691234501', '691234512', '691234599', '6912347', '6912347', '100'],
            abandonRatio: 0.15, abandonMs: { min: 1000, max: 8000 }, talkMs: { mean: 20_000, min: 3000, max: 90_000 },
          });
          log.info({ callsPerMinute: config.demoRate }, 'demo traffic started on the stand-in');
          // Outbound calls as a job queue would ask for them, on the demo site's carrier group.
          if (config.site === null) {
            const perMinute = Math.max(1, Math.round(config.demoRate / 5));
            sup.dialler = startDemoDialler((r) => outbound.originate(r), { callsPerMinute: perMinute, group: 'carrier', target: 'sales', timeoutSeconds: 20, logger: log });
            log.info({ callsPerMinute: perMinute }, 'demo outbound calls started');
          }
        });
      }
      return sup;
    } catch (err) {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      throw err;
    }
  }

  /** Clean shutdown: stop taking calls, record what ends, close the store last. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.log.info({}, 'supervisor stopping');
    this.traffic?.stop();
    this.dialler?.stop();
    if (this.standin) {
      // Our in-process Asterisk goes away with us: end its calls so each gets its record.
      await Promise.all([this.calls.hangupAll(), this.outbound.hangupAll()]).catch(() => undefined);
      await this.calls.whenIdle(2000);
      await this.calls.closeAll('supervisor stopped');
      await this.outbound.closeAll('supervisor stopped');
    }
    await this.calls.settled();
    await this.outbound.settled();
    await this.ari.stop();
    await this.health.close();
    await this.standin?.stop();
    await this.trunkMap.stop();
    await this.sink.close();
    await this.db.close();
    await this.backend.close();
    this.log.info({ stats: this.calls.stats, outbound: this.outbound.stats, ari: this.ari.stats() }, 'supervisor stopped');
  }
}
