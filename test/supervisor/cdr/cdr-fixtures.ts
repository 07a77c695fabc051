// Records, waits and a cuttable TCP path for the CDR tests. The proxy sits between the sink and
// the real MariaDB: cut() drops every connection and stops listening (new connects get
// ECONNREFUSED, as when the server is down), restore() listens again on the same port.

import { once, type EventEmitter } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { CdrInput } from '../../../src/supervisor/cdr/cdr-record';

const BASE = Date.UTC(2025, 10, 24, 9, 0, 0);

/** The i-th test call: answered inbound on span 1, one second apart. */
export function makeCdr(i: number, overrides: Partial<CdrInput> = {}): CdrInput {
  const start = new Date(BASE + i * 1000);
  return {
    calldate: start,
    clid: `"Caller ${i}" <5550${i}>`,
    src: `5550${i}`,
    dst: '8001',
    dcontext: 'from-pstn',
    channel: `DAHDI/${(i % 30) + 1}-1`,
    dstchannel: 'PJSIP/agent-00000001',
    lastapp: 'Dial',
    lastdata: 'PJSIP/agent,30',
    duration: 60,
    billsec: 45,
    disposition: 'ANSWERED',
    amaflags: 3,
    uniqueid: `1732438800.${i}`,
    linkedid: `1732438800.${i}`,
    sequence: 0,
    span: 1,
    timeslot: (i % 30) + 1,
    trunk_group: 'pstn-in',
    direction: 'inbound',
    q850_cause: 16,
    ring_time: new Date(start.getTime() + 200),
    answer_time: new Date(start.getTime() + 15_000),
    end_time: new Date(start.getTime() + 60_000),
    route: 'did-8001',
    ...overrides,
  };
}

/** Resolves on the first `event` whose arguments pass `test`; rejects after `ms`. */
export async function waitForEvent<A extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  test: (...args: A) => boolean,
  ms: number,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' event passing the test within ${ms} ms`));
    }, ms);
    const listener = (...args: unknown[]): void => {
      if (!test(...(args as A))) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args as A);
    };
    emitter.on(event, listener);
  });
}

export class TcpCutProxy {
  readonly port: number;
  private server: Server | null;
  private readonly sockets = new Set<Socket>();
  private readonly targetHost: string;
  private readonly targetPort: number;

  private constructor(server: Server | null, port: number, targetHost: string, targetPort: number) {
    this.server = server;
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpCutProxy> {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, 'close');
    const proxy = new TcpCutProxy(null, port, targetHost, targetPort);
    await proxy.restore();
    return proxy;
  }

  /** Rewrites a mysql:// URL to go through this proxy. */
  route(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
