// A real CRM stand-in for the webhook tests and bench: a local HTTP server that checks each
// POST's signature with the helper receivers are told to use (src/webhooks/signing.ts verify)
// and answers by the test's policy - a status, or "hold" (the answer waits until the test
// releases it, to count concurrent requests or play a CRM that never answers).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify, type Verification } from '../../src/webhooks/signing';

export interface Received {
  deliveryId: string;
  event: string;
  attempt: number;
  body: string;
  json: Record<string, unknown> & { call: Record<string, unknown>; end: Record<string, unknown> | null };
  verification: Verification;
  /** What the receiver answered (0 while held). */
  status: number;
  receivedAt: number;
}

export type Answer = number | 'hold';

export class Receiver {
  readonly received: Received[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private held: { r: Received; res: ServerResponse }[] = [];
  private readonly server: Server;
  url = '';

  constructor(private readonly secret: string, public answer: (r: Received) => Answer = () => 200) {
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm/hook`;
    return this;
  }

  /** Answers the oldest held request (default 200); false when none is held. */
  releaseOne(status = 200): boolean {
    const h = this.held.shift();
    if (!h) return false;
    this.finish(h.r, h.res, status);
    return true;
  }

  get heldCount(): number {
    return this.held.length;
  }

  of(deliveryId: string): Received[] {
    return this.received.filter((r) => r.deliveryId === deliveryId);
  }

  /** Deliveries answered 2xx, by delivery id. */
  delivered(): Map<string, Received> {
    return new Map(this.received.filter((r) => r.status >= 200 && r.status < 300).map((r) => [r.deliveryId, r]));
  }

  async close(): Promise<void> {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string => String(req.headers[name.toLowerCase()] ?? '');
      const r: Received = {
        deliveryId: header(DELIVERY_HEADER), event: header('X-Tdmgate-Event'), attempt: Number(header('X-Tdmgate-Attempt')), body,
        json: JSON.parse(body) as Received['json'],
        verification: verify(this.secret, header(TIMESTAMP_HEADER), body, header(SIGNATURE_HEADER), 300),
        status: 0, receivedAt: Date.now(),
      };
      this.received.push(r);
      const answer = this.answer(r);
      if (answer === 'hold') this.held.push({ r, res });
      else this.finish(r, res, answer);
    });
    res.on('close', () => this.inFlight--);
  }

  private finish(r: Received, res: ServerResponse, status: number): void {
    r.status = status;
    res.writeHead(status).end();
  }
}
