// The ARI stand-in: one object that owns a simulated Asterisk's ARI - the HTTP server, the
// events WebSocket, the channels on DAHDI timeslots of a trunk plan (mirrored into the sim's
// channels), the span watch, the dialplan continue goes into - and the control API tests and the
// demo use: inbound calls, far-end outcomes, remote hangups, far-end DTMF and faults (socket
// drop, REST stall, unknown and malformed events, `core restart now`, a crash), plus the
// traffic generator.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HardwareBackend } from '../../hardware/types';
import { loadApiDocs } from './api-docs';
import { SimAsterisk, type DtmfTiming, type InboundCall } from './asterisk';
import type { ChannelJson } from './channel';
import { DialScript, type DialOutcome, type DialScriptOptions, type OutcomeMix } from './dial-script';
import { Dialplan, mergeDialplans, type DialplanSpec } from './dialplan';
import { StandinError } from './errors';
import { EventsHub } from './events-hub';
import { AriHttpServer } from './http-server';
import { Originator } from './originate';
import type { MediaTiming } from './playbacks';
import { runRestart, type RestartPhases } from './restart';
import { RestGate } from './rest-gate';
import { Router } from './router';
import { asteriskRoutes, type ModuleState } from './routes/asterisk-routes';
import { bridgeRoutes } from './routes/bridge-routes';
import { channelRoutes } from './routes/channel-routes';
import { miscRoutes } from './routes/misc-routes';
import { playbackRoutes } from './routes/playback-routes';
import { recordingRoutes } from './routes/recording-routes';
import { unmodelledRoutes } from './routes/unmodelled-routes';
import { SpanWatch } from './span-watch';
import { StoredRecordings } from './stored-recordings';
import { TrafficGenerator, type TrafficOptions } from './traffic';
import { TrunkPool, type InUseMarker } from './trunk-pool';
import { inboundDialplan, planFromHardware, type SimpleTrunkConfig, type TrunkPlan } from './trunk-plan';

export interface AriStandinOptions {
  user?: string;
  password?: string;
  /** Default 127.0.0.1, port 0 (any free port). */
  host?: string;
  port?: number;
  /** The trunk plan, or groups over spans resolved against `hardware` (default: derived from it). */
  trunks?: TrunkPlan | SimpleTrunkConfig;
  /** Spans and alarms come from here; a backend with setInUse (the sim) shows our calls as inUse. */
  hardware?: HardwareBackend;
  dial?: DialScriptOptions;
  /** The Stasis app inbound calls go to when placeInboundCall names none. Default "tdmgate". */
  defaultApp?: string;
  /** Hardware watcher interval for alarms, ms (default 50). */
  spanWatchMs?: number;
  /** Loaded modules for PUT /asterisk/modules (default chan_dahdi.so and res_ari.so running). */
  modules?: Record<string, ModuleState>;
  /**
   * Contexts and extensions that exist besides the trunks' inbound contexts (those always do,
   * running Stasis(defaultApp)). Default: the trunk plan's (planFromSite: the routing targets).
   * A continue anywhere else ends the channel, as Asterisk's pbx does.
   */
  dialplan?: DialplanSpec;
  /** How long media plays (POST /channels/{id}/play). */
  media?: MediaTiming;
  /**
   * The recording directory: finished recordings are written here and /recordings/stored lists
   * it. Default: a private temporary directory, removed by stop(); a given one is kept.
   */
  recordingsDir?: string;
  /** Folder with resources.json and api-docs/ (default: the copy shipped in the package). */
  docsDir?: string;
  asteriskId?: string;
}

export interface AriStandinEvents {
  /**
   * A `continue` was accepted for `to` (the channel leaves Stasis right after, or once its
   * playbacks are over). Emitted synchronously inside the request, so a listener sees the moment
   * the decision reached "Asterisk" (the supervisor bench times routing from StasisStart to here).
   */
  continued: [channelId: string, to: { context: string; exten: string; priority: number }];
}

export interface StartedStandin {
  url: string;
  port: number;
}

export class AriStandin extends EventEmitter<AriStandinEvents> {
  readonly script: DialScript;
  private readonly gate = new RestGate();
  private readonly modules: Map<string, ModuleState>;
  private readonly asteriskId: string;
  private hub: EventsHub | null = null;
  private http: AriHttpServer | null = null;
  private asterisk: SimAsterisk | null = null;
  private watch: SpanWatch | null = null;
  private store: StoredRecordings | null = null;
  /** The temporary recording directory this stand-in made (removed on stop), if any. */
  private ownRecordingsDir: string | null = null;
  private readonly traffic = new Set<TrafficGenerator>();
  /** Bumped by stop(): a restart still running notices and does not bring the server back. */
  private generation = 0;

  constructor(private readonly options: AriStandinOptions = {}) {
    super();
    this.script = new DialScript(options.dial);
    this.modules = new Map(Object.entries(options.modules ?? { 'chan_dahdi.so': 'running', 'res_ari.so': 'running', 'app_stasis.so': 'running' }));
    this.asteriskId = options.asteriskId ?? randomBytes(6).toString('hex').replace(/(..)(?!$)/g, '$1:');
  }

  async start(): Promise<StartedStandin> {
    if (this.http) throw new StandinError('BAD_CONFIG', 'the ARI stand-in is already started');
    const o = this.options;
    const plan = await this.resolvePlan();
    const marker = o.hardware && 'setInUse' in o.hardware ? (o.hardware as unknown as InUseMarker) : null;
    const pool = new TrunkPool(plan, marker);
    const user = o.user ?? 'asterisk';
    const password = o.password ?? 'asterisk';
    const hub = new EventsHub((u, p) => u === user && p === password, this.asteriskId, Date.now);
    const defaultApp = o.defaultApp ?? 'tdmgate';
    const dialplan = new Dialplan(mergeDialplans(inboundDialplan(plan, defaultApp), o.dialplan ?? plan.dialplan));
    const store = this.recordingStore();
    const asterisk = new SimAsterisk({
      pool, hub, now: Date.now, defaultApp, dialplan, store, ...(o.media ? { media: o.media } : {}),
      onContinued: (ch, to) => this.emit('continued', ch.id, to),
    });
    const docs = loadApiDocs(o.docsDir);
    const router = new Router();
    router.add(
      ...asteriskRoutes({
        asteriskId: this.asteriskId, modules: this.modules, now: Date.now,
        startupTime: () => asterisk.startupTime, reloadTime: () => asterisk.reloadTime,
        reloaded: () => (asterisk.reloadTime = Date.now()),
      }),
      ...miscRoutes({
        apps: () => hub.apps(),
        channelIdsOf: (app) => asterisk.list().filter((c) => c.stasisApp === app).map((c) => c.id),
        bridgeIdsOf: (app) => asterisk.bridges.idsOf(app),
      }),
      ...channelRoutes(asterisk, new Originator(asterisk, this.script)),
      ...recordingRoutes(asterisk),
      ...bridgeRoutes(asterisk),
      ...playbackRoutes(asterisk.playbacks),
      ...unmodelledRoutes(docs, {
        channel: (id) => void asterisk.get(id), playback: (id) => void asterisk.playbacks.get(id), bridge: (id) => void asterisk.bridges.get(id),
      }),
    );
    const http = new AriHttpServer({ host: o.host ?? '127.0.0.1', port: o.port ?? 0, user, password }, docs, router, hub, this.gate);
    const started = await http.listen();
    this.hub = hub;
    this.asterisk = asterisk;
    this.http = http;
    if (o.hardware) {
      this.watch = new SpanWatch(o.hardware, { setSpanUp: (s, up) => pool.setSpanUp(s, up), spanLost: (s) => asterisk.spanLost(s) }, o.spanWatchMs ?? 50);
      await this.watch.start();
    }
    return started;
  }

  async stop(): Promise<void> {
    this.generation++;
    for (const t of this.traffic) t.stop();
    this.traffic.clear();
    await this.watch?.stop();
    this.watch = null;
    this.gate.dispose();
    this.asterisk?.reset(Date.now());
    await this.hub?.close();
    await this.http?.close(true);
    this.http = null;
    this.hub = null;
    this.asterisk = null;
    this.store = null;
    if (this.ownRecordingsDir) rmSync(this.ownRecordingsDir, { recursive: true, force: true });
    this.ownRecordingsDir = null;
  }

  /** The recording directory (finished recordings are files there). */
  get recordingsDir(): string {
    if (!this.store) throw new StandinError('NOT_RUNNING', 'the ARI stand-in is not started');
    return this.store.dir;
  }

  get url(): string {
    return this.running().http.url;
  }

  // ---- calls -------------------------------------------------------------------------------

  /** A call from the network: a free timeslot (span/group), StasisStart to the app. */
  placeInboundCall(call: InboundCall): ChannelJson {
    return this.running().asterisk.inbound(call).channel.toJSON();
  }

  /**
   * The far end hangs up (default cause 16): ChannelHangupRequest with the cause; before answer
   * it is a DISCONNECT whose Dial status the channel's signalling decides (causes.ts).
   */
  remoteHangup(channelId: string, cause = 16): void {
    const a = this.running().asterisk;
    a.remoteHangup(this.channel(channelId), cause);
  }

  /** The far end presses DTMF on a call: ChannelDtmfReceived per digit (digit, duration_ms). */
  pressDtmf(channelId: string, digits: string, timing: DtmfTiming = {}): void {
    this.running().asterisk.pressDtmf(this.channel(channelId), digits, timing);
  }

  /** DTMF the app sent to the far end on a channel (POST /channels/{id}/dtmf), in order. */
  sentDtmf(channelId: string): string {
    return this.channel(channelId).sentDtmf;
  }

  /** Scripted far-end behaviour for numbers matching `pattern` (exact, _Asterisk pattern, RegExp), on `span` only if given. */
  onDial(pattern: string | RegExp, outcome: DialOutcome, options: { span?: number } = {}): void {
    this.script.add({ pattern, outcome, ...options });
  }

  setDefaultOutcome(outcome: DialOutcome | OutcomeMix): void {
    this.script.setDefault(outcome);
  }

  channels(): ChannelJson[] {
    return this.running().asterisk.list().map((c) => c.toJSON());
  }

  /** Registered Stasis apps (open event sockets). */
  apps(): string[] {
    return this.running().hub.apps();
  }

  startTraffic(options: TrafficOptions): TrafficGenerator {
    const gen = new TrafficGenerator(this.running().asterisk, options).start();
    this.traffic.add(gen);
    return gen;
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Cuts every events socket (no close handshake); returns how many. */
  dropSocket(): number {
    return this.running().hub.dropAll();
  }

  /** REST requests hang from now on, for `ms` or until resumeRest(). */
  stallRest(ms?: number): void {
    this.gate.stall(ms);
  }

  /** REST requests held by stallRest right now. */
  stalledRequests(): number {
    return this.gate.held;
  }

  resumeRest(): void {
    this.gate.resume();
  }

  sendUnknownEvent(type = 'TdmgateUnknownEvent'): number {
    return this.running().hub.sendUnknown(type);
  }

  sendMalformedEvent(text = '{"type": "StasisStart", "application": '): number {
    return this.running().hub.sendRaw(text);
  }

  /**
   * `core restart now` with Asterisk's phases in order (restart.ts): channels hung up with
   * events, 503 "Shutdown in progress", sockets cut, refused, 404, 503 "Asterisk not booted",
   * up with a new startup time. Resolves when it is up again.
   */
  async restart(phases: Partial<RestartPhases> = {}): Promise<void> {
    const { http, hub, asterisk } = this.running();
    const gen = this.generation;
    const live = (): boolean => gen === this.generation;
    await runRestart({
      hangupAll: () => live() && asterisk.shutdownChannels(),
      setAvailability: (a) => {
        if (live()) http.availability = a;
      },
      goDown: async () => {
        if (!live()) return;
        hub.dropAll();
        await http.close(false);
      },
      comeBack: async () => {
        if (!live()) return;
        asterisk.reset(Date.now());
        await http.listen();
      },
    }, phases);
  }

  /**
   * Asterisk crashes and comes back: sockets cut, connections refused for `downMs`, every
   * channel lost (no events), then listening again on the same port with a new startup time.
   */
  async restartAsterisk(options: { downMs?: number } = {}): Promise<void> {
    const { http, hub, asterisk } = this.running();
    hub.dropAll();
    await http.close(false);
    asterisk.reset(Date.now());
    await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 300));
    asterisk.reset(Date.now());
    await http.listen();
  }

  /** chan_dahdi.so and friends: make a module refuse reloads, or unload it. */
  setModule(name: string, state: ModuleState | null): void {
    if (state === null) this.modules.delete(name);
    else this.modules.set(name, state);
  }

  private channel(id: string): ReturnType<SimAsterisk['list']>[number] {
    const ch = this.running().asterisk.find(id);
    if (!ch) throw new StandinError('UNKNOWN_CHANNEL', `no channel ${id}`);
    return ch;
  }

  private running(): { http: AriHttpServer; hub: EventsHub; asterisk: SimAsterisk } {
    if (!this.http || !this.hub || !this.asterisk) throw new StandinError('NOT_RUNNING', 'the ARI stand-in is not started');
    return { http: this.http, hub: this.hub, asterisk: this.asterisk };
  }

  private recordingStore(): StoredRecordings {
    const given = this.options.recordingsDir;
    if (!given) this.ownRecordingsDir = mkdtempSync(path.join(tmpdir(), 'tdmgate-ari-recordings-'));
    this.store = new StoredRecordings(given ?? this.ownRecordingsDir ?? '');
    return this.store;
  }

  private async resolvePlan(): Promise<TrunkPlan> {
    const t = this.options.trunks;
    if (t && 'channels' in t) return t;
    if (!this.options.hardware) throw new StandinError('BAD_CONFIG', 'the ARI stand-in needs a trunk plan or a hardware backend to derive one');
    return planFromHardware(this.options.hardware, t);
  }
}
