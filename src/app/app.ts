// The composition root: the only code that knows every piece. It builds the hardware backend,
// the TrunkMap, the CDR store and sink, the ARI connection (to the configured Asterisk, or to
// the demo's stand-in on simulated cards), the webhooks, call control, the job queues and their
// dispatcher (which dials on free channels) and the HTTP server (health, the REST API), starts them in that order and
// stops them in reverse, so every call record is acknowledged before the store closes and every
// hang-up is queued for the webhooks before they stop. The GSM modems join here.

import { DchannelStates } from '../api/dchannel-states';
import { EventJournal } from '../api/events/event-journal';
import { EventStream } from '../api/events/event-stream';
import { feedJournal } from '../api/events/live-events';
import { healthRoutes } from '../api/health-routes';
import { metricsRoutes } from '../api/metrics/metrics-routes';
import { ApiServer } from '../api/api-server';
import { apiV1 } from '../api/v1/api-v1';
import type { RateLimit } from '../api/v1/rate-limit';
import { ApiAuditLog } from '../store/api-audit';
import { ApiTokenStore } from '../store/api-tokens';
import { CdrSearch } from '../store/cdr-search';
import { StatusBoard } from '../api/web/status-board';
import { webRoutes } from '../api/web/web-routes';
import type { AriStandin } from '../demo/ari-standin';
import { Demo } from '../demo/demo';
import { openBackend } from '../hardware/open-backend';
import type { HardwareBackend } from '../hardware/types';
import { loadSiteFile } from '../provisioning/site/load';
import type { SiteConfig } from '../provisioning/site/site-types';
import { redact } from '../store/database-url';
import { AriAdapter } from '../supervisor/ari/ari-adapter';
import { CallControl, STASIS_APP } from '../supervisor/call-control';
import { CdrSink } from '../supervisor/cdr/cdr-sink';
import { openCdrWriter, type OpenedCdrWriter } from '../supervisor/cdr/open-cdr-writer';
import type { SupervisorConfig } from '../supervisor/config';
import { SupervisorError } from '../supervisor/supervisor-errors';
import { TrunkMap, type TrunkMapLogger } from '../supervisor/trunk-map';
import { GuardUsageRepository } from '../store/guard-usage-repository';
import { TollGuard } from '../supervisor/toll-guard/toll-guard';
import type { TokenSuspension } from '../supervisor/toll-guard/token-suspension';
import { CallDispatcher, type PriorAttempt } from '../jobs/call-dispatcher';
import { outcomeOf } from '../supervisor/outbound/outcomes';
import { CallJobs } from '../jobs/call-jobs';
import { campaignGate, CampaignService } from '../jobs/campaigns';
import { connectRedis, redactRedisUrl, redisOptions } from '../jobs/redis';
import { settingsFor } from '../supervisor/outbound/prepare-call';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { Lifecycle } from './lifecycle';
import { metricSources } from './metric-sources';

/** Events the live stream keeps for clients that resume: minutes of a busy box, ~5 MB. */
const EVENT_JOURNAL_SIZE = 20_000;

export interface AppOptions {
  config: SupervisorConfig;
  logger: TrunkMapLogger;
  /** The site used on simulated cards when config.site is null. */
  demoSitePath: string;
  /** Tests pass their own sim (to raise alarms); otherwise openBackend(config.backend). */
  backend?: HardwareBackend;
  /** Tuning for tests: short timeouts and intervals. */
  tuning?: { restTimeoutMs?: number; backoffMaxMs?: number; pingIntervalMs?: number; trunkIntervalMs?: number; cdrFlushMs?: number; standinSpanWatchMs?: number; queueIdleMs?: number; queueLockMs?: number; queueStalledMs?: number; apiRateLimit?: RateLimit };
  /** The demo's calls (stand-in traffic, outbound dialler); default true when the stand-in runs. */
  demoTraffic?: boolean;
  /** Where the toll guard suspends API tokens that hit a cap (the API's token store); none = caps only refuse. */
  suspension?: TokenSuspension;
  /** The toll guard's clock (ms since the epoch); tests set the hour. */
  now?: () => number;
}

/** The running pieces, as the composition root built them. */
export interface AppParts {
  site: SiteConfig;
  backend: HardwareBackend;
  trunkMap: TrunkMap;
  /** The CDR store's writer (and `knex` for reads). */
  db: OpenedCdrWriter;
  sink: CdrSink;
  ari: AriAdapter;
  calls: CallControl;
  /** The toll-fraud guard every originate passes (its events: refused, alert, suspended). */
  guard: TollGuard;
  /** The job queues, or null when Redis is off (TDMGATE_REDIS_URL=off). */
  queues: Queues | null;
  /** The CRM screen-pop webhooks; null when none are configured or the queues are off. */
  webhooks: WebhookDispatcher | null;
  demo: Demo | null;
  /** The live event stream (GET /api/v1/events). */
  events: EventStream;
  /** The HTTP server's base URL (health, /api/v1). */
  url: string;
  /** The HTTP server (what it serves: the OpenAPI test reads it). */
  http: ApiServer;
  /** The API's bearer tokens, in the CDR database. */
  tokens: ApiTokenStore;
}

export interface Queues {
  jobs: CallJobs;
  campaigns: CampaignService;
  dispatcher: CallDispatcher;
}

export class App implements AppParts {
  readonly site: SiteConfig;
  readonly backend: HardwareBackend;
  readonly trunkMap: TrunkMap;
  readonly db: OpenedCdrWriter;
  readonly sink: CdrSink;
  readonly ari: AriAdapter;
  readonly calls: CallControl;
  readonly guard: TollGuard;
  readonly queues: Queues | null;
  readonly webhooks: WebhookDispatcher | null;
  readonly demo: Demo | null;
  readonly events: EventStream;
  readonly url: string;
  readonly http: ApiServer;
  readonly tokens: ApiTokenStore;
  private stopped = false;

  private constructor(parts: AppParts, private readonly lifecycle: Lifecycle, private readonly log: TrunkMapLogger) {
    ({ site: this.site, backend: this.backend, trunkMap: this.trunkMap, db: this.db, sink: this.sink, ari: this.ari, calls: this.calls, guard: this.guard, queues: this.queues, webhooks: this.webhooks, demo: this.demo, events: this.events, url: this.url, http: this.http, tokens: this.tokens } = parts);
  }

  /** The demo's in-process Asterisk, when it runs (tests drive it). */
  get standin(): AriStandin | null {
    return this.demo?.standin ?? null;
  }

  static async start(options: AppOptions): Promise<App> {
    const { config, logger: log } = options;
    const t = options.tuning ?? {};
    const lifecycle = new Lifecycle();
    try {
      const opened = options.backend ? { backend: options.backend, chosen: 'sim', reason: 'injected' } : await openBackend({ backend: config.backend });
      const backend = opened.backend;
      lifecycle.started('hardware', () => backend.close());
      if (opened.chosen === 'dahdi' && config.ari === null) {
        throw new SupervisorError('CONFIG_INVALID', 'TDMGATE_ARI_URL: is required on DAHDI hardware (the ARI stand-in runs on simulated cards only)', { key: 'TDMGATE_ARI_URL', allowed: 'http://host:8088' });
      }
      if (opened.chosen === 'dahdi' && config.site === null) {
        throw new SupervisorError('CONFIG_INVALID', 'TDMGATE_SITE: is required on DAHDI hardware', { key: 'TDMGATE_SITE', allowed: 'the path of a site file' });
      }
      const sitePath = config.site ?? options.demoSitePath;
      const { site } = await loadSiteFile(sitePath);
      log.info({ backend: opened.chosen, why: opened.reason, site: sitePath }, 'hardware and site');

      const trunkMap = TrunkMap.create({ site, backend, logger: log, ...(t.trunkIntervalMs ? { intervalMs: t.trunkIntervalMs } : {}) });
      await trunkMap.start();
      lifecycle.started('trunk map', () => trunkMap.stop());

      const { db, sink } = await openCdrStore(config, log, lifecycle, t.cdrFlushMs);

      // No Asterisk configured on simulated cards: the demo's stand-in plays it.
      let demo: Demo | null = null;
      let target = config.ari;
      if (target === null) {
        const started = await Demo.start({
          backend, site, app: STASIS_APP, logger: log, callsPerMinute: (options.demoTraffic ?? true) ? config.demoRate : 0,
          outbound: config.site === null, ...(t.standinSpanWatchMs ? { spanWatchMs: t.standinSpanWatchMs } : {}),
        });
        lifecycle.started('ARI stand-in', () => started.stop());
        demo = started;
        target = started.ari;
      }

      const ari = new AriAdapter({
        url: target.url, user: target.user, password: target.password, app: STASIS_APP, logger: log,
        ...(t.restTimeoutMs ? { restTimeoutMs: t.restTimeoutMs } : {}), ...(t.backoffMaxMs ? { backoffMaxMs: t.backoffMaxMs } : {}),
        ...(t.pingIntervalMs !== undefined ? { pingIntervalMs: t.pingIntervalMs } : {}),
      });
      lifecycle.started('ARI', () => ari.stop());
      // The API's tokens: the toll guard suspends the ones that hit a cap.
      const tokens = new ApiTokenStore(db.knex);
      const guard = new TollGuard({
        site, policy: config.guard, usage: new GuardUsageRepository(db.knex), suspension: options.suspension ?? tokenSuspension(tokens), logger: log, ...(options.now ? { now: options.now } : {}),
      });
      const calls = new CallControl({
        ari, trunkMap, site, cdr: sink, logger: log, guard,
        spanAlarms: async (span) => (await backend.span(span)).alarmNames,
      });
      // Listening before the first call, stopped after call control: the hang-ups of the calls
      // ended at shutdown are queued too.
      const webhooks = startWebhooks(config, calls, guard, log, lifecycle);
      calls.attach();
      lifecycle.started('call control', async () => {
        demo?.stopCalls();
        // The demo's Asterisk goes away with us: end its calls so each gets its record.
        if (demo) await calls.endAllCalls('supervisor stopped');
        await calls.settled();
      });
      ari.start();

      const queues = config.redis === null ? null : openQueues(config.redis, {
        site, trunkMap, calls, db, log, lifecycle,
        ...(t.queueIdleMs ? { idleMs: t.queueIdleMs } : {}), ...(t.queueLockMs ? { lockMs: t.queueLockMs } : {}), ...(t.queueStalledMs ? { stalledMs: t.queueStalledMs } : {}),
      });
      if (queues) ari.once('ready', () => queues.dispatcher.start());
      else log.info({}, 'job queues off (TDMGATE_REDIS_URL=off): outbound calls only through the API');

      // The live event stream: fed from the start, so a client resuming after a short drop finds what it missed.
      const journal = new EventJournal(EVENT_JOURNAL_SIZE);
      const stopFeed = feedJournal(journal, { trunkMap, calls: calls.events, jobs: queues?.dispatcher ?? null });
      lifecycle.started('event stream', () => stopFeed());
      // Each span's D-channel, as the API and the status page both tell it.
      const dchannels = new DchannelStates(backend, site);
      dchannels.start();
      lifecycle.started('D-channel states', () => dchannels.stop());
      // The status page's start: the map plus the site's frames, the calls up, span health, recent span events.
      const board = new StatusBoard({ site, trunkMap, calls: calls.events, backend, dchannels, journal, logger: log });
      await board.start();
      lifecycle.started('status board', () => board.stop());
      const events = new EventStream({ journal, snapshot: () => board.snapshot() });

      let app: App | null = null;
      const readiness = () => ({
        ari: { ok: ari.status === 'ready', detail: ari.status },
        cdr: { ok: sink.status === 'ready' || sink.status === 'spooling', detail: sink.status },
        ...(queues ? { queues: { ok: queues.dispatcher.ready, detail: queues.dispatcher.ready ? 'ready' : 'Redis not reachable' } } : {}),
        hardware: { ok: !(app?.stopped ?? false), detail: opened.chosen },
      });
      const rest = apiV1({
        site, backend, trunkMap, readiness, tokens, events, dchannels, cdrs: new CdrSearch(db.knex, db.target.dialect), audit: new ApiAuditLog(db.knex), log, rateLimit: t.apiRateLimit ?? config.apiRate,
        calls: { originate: (r, accepted) => calls.outbound.originate(r, accepted), legs: () => calls.legs.views(), hangupCall: (id) => calls.legs.hangupCall(id) },
        queues: queues && { jobs: queues.jobs, campaigns: queues.campaigns },
      });
      const api = new ApiServer([webRoutes(), healthRoutes(readiness), rest, metricsRoutes(metricSources({ backend, trunkMap, calls, sink, ari, queues, webhooks, guard }))]);
      const listening = await api.listen(config.listen);
      lifecycle.started('HTTP server', () => api.close());
      log.info({ url: listening.url, page: `${listening.url}/`, healthz: `${listening.url}/healthz`, readyz: `${listening.url}/readyz`, api: `${listening.url}/api/v1/openapi.json` }, 'HTTP server listening');

      app = new App({ site, backend, trunkMap, db, sink, ari, calls, guard, queues, webhooks, demo, events, url: listening.url, http: api, tokens }, lifecycle, log);
      const running = app;
      // The demo's calls only make sense once our app is registered with the stand-in; its
      // outbound calls are jobs on the queues when there are queues.
      if (demo) ari.once('ready', () => !running.stopped && demo.startCalls((r) => (queues ? queues.jobs.add(r) : calls.outbound.originate(r))));
      return app;
    } catch (err) {
      await lifecycle.stopAll();
      throw err;
    }
  }

  /** Clean shutdown: stop taking calls, record what ends, close the store last. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.log.info({}, 'supervisor stopping');
    const failures = await this.lifecycle.stopAll();
    for (const f of failures) this.log.warn({ part: f.name, err: f.err instanceof Error ? f.err.message : String(f.err) }, 'did not stop cleanly');
    this.log.info({ stats: this.calls.stats(), ...(this.webhooks ? { webhooks: this.webhooks.stats } : {}) }, 'supervisor stopped');
  }
}

/**
 * The job queues on Redis: the service that adds and lists jobs, and the dispatcher that dials
 * them on free channels of the groups this site can dial out on. Redis away at start is no
 * error: the connection keeps trying, /readyz says so, inbound calls flow meanwhile.
 */
function openQueues(
  redis: { url: string; prefix: string },
  o: { site: SiteConfig; trunkMap: TrunkMap; calls: CallControl; db: OpenedCdrWriter; log: TrunkMapLogger; lifecycle: Lifecycle; idleMs?: number; lockMs?: number; stalledMs?: number },
): Queues {
  const connection = connectRedis(redis.url, { name: `tdmgate-supervisor-${process.pid}` });
  let lastError = '';
  connection.on('error', (err: Error) => {
    // One line per distinct failure, not one per reconnect try.
    if (err.message !== lastError) o.log.warn({ redis: redactRedisUrl(redis.url), err: err.message }, 'Redis not reachable: job queues wait, calls go on');
    lastError = err.message;
  });
  connection.on('ready', () => {
    lastError = '';
    o.log.info({ redis: redactRedisUrl(redis.url), prefix: redis.prefix }, 'job queues connected');
  });
  // quit() waits for a connection that is not there; a Redis that is away is simply let go.
  o.lifecycle.started('Redis', () => (connection.status === 'ready' ? connection.quit().then(() => undefined, () => connection.disconnect()) : connection.disconnect()));
  const outboundGroups = o.site.groups.filter((g) => g.direction !== 'in');
  const campaigns = new CampaignService({ redis: connection, prefix: redis.prefix });
  const dispatcher = new CallDispatcher({
    gate: campaignGate(campaigns),
    connection, workerConnection: redisOptions(redis.url, { name: `tdmgate-dispatcher-${process.pid}` }), prefix: redis.prefix, logger: o.log, capacity: o.trunkMap,
    dialer: {
      originate: (r) => o.calls.outbound.originate(r),
      unplacedAttempts: (g) => o.calls.outbound.unplacedAttempts(g),
      paceWaitMs: (g) => o.calls.outbound.paceWaitMs(g),
      priorAttempt: (callId) => priorAttempt(callId, o.calls, o.db),
    },
    groups: outboundGroups.map((g) => ({ name: g.name, settings: settingsFor(g.number, o.site.routing?.outbound ?? []) })),
    ...(o.idleMs ? { idleMs: o.idleMs } : {}), ...(o.lockMs ? { lockMs: o.lockMs } : {}), ...(o.stalledMs ? { stalledIntervalMs: o.stalledMs } : {}),
  });
  const jobs = new CallJobs({ connection, prefix: redis.prefix, site: o.site, added: (group) => dispatcher.wake(group) });
  o.lifecycle.started('job queues', async () => {
    await dispatcher.stop();
    await jobs.close();
    await campaigns.close();
  });
  return { jobs, campaigns, dispatcher };
}

/**
 * What is known of an earlier try by its call id (a job taken over after a crash): a leg of it
 * still tracked (placed here, or adopted from Asterisk after our restart), or its CDR in the
 * store (another box's too, when they share MySQL), or nothing.
 */
async function priorAttempt(callId: string, calls: CallControl, db: OpenedCdrWriter): Promise<PriorAttempt> {
  if (calls.outbound.tracksCall(callId)) return { kind: 'live' };
  // A call that ended here a moment ago may still be on its way into the store.
  await Promise.race([calls.settled(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  const rows = (await db.knex('cdr').where({ linkedid: callId }).orderBy('uniqueid')) as { disposition: string; q850_cause: number | null }[];
  const last = rows.at(-1);
  if (last === undefined) return { kind: 'unknown' };
  const answered = rows.some((r) => r.disposition === 'ANSWERED');
  return { kind: 'ended', outcome: outcomeOf({ answered, cause: last.q850_cause, dialStatus: DISPOSITION_STATUS[last.disposition] ?? '' }), cause: answered ? null : last.q850_cause };
}

/** A CDR's disposition as the Dial status outcomeOf reads when the cause says nothing. */
const DISPOSITION_STATUS: Readonly<Record<string, string>> = { BUSY: 'BUSY', 'NO ANSWER': 'NOANSWER', CONGESTION: 'CONGESTION' };

/** The webhook workers, when endpoints are configured and the queues' Redis is on. */
function startWebhooks(config: SupervisorConfig, calls: CallControl, guard: TollGuard, log: TrunkMapLogger, lifecycle: Lifecycle): WebhookDispatcher | null {
  if (config.webhooks.length === 0) return null;
  if (config.redis === null) {
    log.warn({ endpoints: config.webhooks.map((e) => e.name) }, 'webhooks configured but the job queues are off (TDMGATE_REDIS_URL=off): none will be sent');
    return null;
  }
  const webhooks = new WebhookDispatcher({ redis: config.redis, endpoints: config.webhooks, events: calls.events, alerts: guard, logger: log });
  webhooks.start();
  lifecycle.started('webhooks', () => webhooks.stop());
  return webhooks;
}

/** The CDR store (SQLite by default, on its writer thread; MySQL/MariaDB by URL) and the durable sink in front of it. */
async function openCdrStore(config: SupervisorConfig, log: TrunkMapLogger, lifecycle: Lifecycle, flushMs: number | undefined): Promise<{ db: OpenedCdrWriter; sink: CdrSink }> {
  // Migrations run inside; a database down at start spools records until it answers.
  const db = await openCdrWriter({ url: config.dbUrl, dataDir: config.dataDir, log });
  lifecycle.started('database', () => db.close());
  const sink = new CdrSink({ writer: db.writer, spoolDir: config.dataDir, ...(flushMs ? { flushIntervalMs: flushMs } : {}) });
  sink.on('status', (status) => log.info({ status }, 'CDR sink'));
  await sink.start();
  lifecycle.started('CDR sink', () => sink.close());
  log.info({ database: db.target.dialect === 'sqlite' ? `sqlite ${db.target.filename}` : redact(config.dbUrl ?? ''), dataDir: config.dataDir, writer: db.thread }, 'CDR store');
  return { db, sink };
}

/** The toll guard's seam onto the API's token store. */
function tokenSuspension(tokens: ApiTokenStore): TokenSuspension {
  return {
    suspend: async (token, reason) => {
      await tokens.suspend(token, reason);
    },
    isSuspended: (token) => tokens.isSuspended(token),
  };
}
