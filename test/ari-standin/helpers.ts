// Shared set-up of the stand-in tests: a sim backend (default hardware: two E1 PRI spans and
// an analog card), the stand-in on a free port, a REAL ari-client connected as app "tdmgate",
// bounded waits on events (no sleeps), and raw HTTP for what the client hides.

import { request } from 'node:http';
import { WebSocket } from 'ws';
import { AriStandin, type AriStandinOptions } from '../../src/demo/ari-standin';
import { createSimBackend, type SimBackend } from '../../src/hardware/sim';
import { ari, type AriClient, type AriEvent } from './ari-client-types';

export const USER = 'tdm user';
export const PASSWORD = 'p@ss:w0rd';

export interface Rig {
  standin: AriStandin;
  sim: SimBackend;
  url: string;
  port: number;
  client: AriClient | null;
  events: AriEvent[];
}

export async function startRig(options: Partial<AriStandinOptions> = {}): Promise<Rig> {
  const sim = createSimBackend();
  const standin = new AriStandin({ user: USER, password: PASSWORD, hardware: sim, spanWatchMs: 10, ...options });
  const { url, port } = await standin.start();
  return { standin, sim, url, port, client: null, events: [] };
}

/** Connects ari-client and starts the apps; every event is logged in rig.events. */
export async function connectClient(rig: Rig, apps: string[] = ['tdmgate'], subscribeAll = false): Promise<AriClient> {
  const client = await ari.connect(rig.url, USER, PASSWORD);
  client.on('*', (e) => rig.events.push(e));
  await client.start(apps, subscribeAll);
  rig.client = client;
  return client;
}

export async function stopRig(rig: Rig): Promise<void> {
  if (rig.client) {
    rig.client.removeAllListeners();
    rig.client.stop();
  }
  await rig.standin.stop();
  await rig.sim.close();
}

/** The first logged event (past or future) of `type` matching `pred`, or a timeout error. */
export function waitEvent(rig: Rig, type: string, pred: (e: AriEvent) => boolean = () => true, ms = 3000): Promise<AriEvent> {
  return waitUntil(() => rig.events.find((e) => e.type === type && pred(e)), `${type} event`, ms);
}

export async function waitUntil<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const channelOf = (e: AriEvent): { id: string; name: string; state: string } => (e.channel ?? e.peer) as { id: string; name: string; state: string };

/** Events about one channel, as "Type" or "Dial:STATUS" strings, in arrival order. */
export function trail(rig: Rig, channelId: string): string[] {
  return rig.events
    .filter((e) => channelOf(e)?.id === channelId)
    .map((e) => (e.type === 'Dial' ? `Dial:${String(e.dialstatus)}` : e.type === 'ChannelStateChange' ? `State:${channelOf(e).state}` : e.type));
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function raw(port: number, method: string, path: string, auth: boolean, headers: Record<string, string> = {}): Promise<RawReply> {
  const reply = await rawBytes(port, method, path, auth, headers);
  return { ...reply, body: reply.body.toString('utf8') };
}

/** The same with the body's bytes (a stored recording's file). */
export function rawBytes(port: number, method: string, path: string, auth: boolean, headers: Record<string, string> = {}): Promise<Omit<RawReply, 'body'> & { body: Buffer }> {
  const h: Record<string, string> = { ...headers };
  if (auth) h.authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: h, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Another Stasis app registered with a plain WebSocket (ari-client is one per process): its events. */
export async function rawApp(rig: Rig, app: string, subscribeAll = false): Promise<{ events: AriEvent[]; texts: string[]; close(): void }> {
  const key = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${rig.port}/ari/events?app=${app}&api_key=${key}${subscribeAll ? '&subscribeAll=true' : ''}`);
  const events: AriEvent[] = [];
  const texts: string[] = [];
  ws.on('message', (data: Buffer) => {
    texts.push(data.toString());
    events.push(JSON.parse(data.toString()) as AriEvent);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { events, texts, close: () => ws.terminate() };
}
