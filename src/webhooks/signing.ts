// Signing of webhook POSTs, and the check a receiver does: HMAC-SHA256 with the endpoint's
// secret over `timestamp + "." + body`, hex, sent as `X-Tdmgate-Signature: sha256=<hex>` beside
// `X-Tdmgate-Timestamp` (Unix seconds). The timestamp is inside the MAC, so a receiver that
// refuses timestamps older than a few minutes refuses a captured request played again. Pure
// (the time comes in), so receivers and tests use the very code that signs.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEventKind } from '../supervisor/webhook-endpoints';

export const SIGNATURE_HEADER = 'X-Tdmgate-Signature';
export const TIMESTAMP_HEADER = 'X-Tdmgate-Timestamp';
export const EVENT_HEADER = 'X-Tdmgate-Event';
/** The same on every try of one event: receivers drop repeats by it. */
export const DELIVERY_HEADER = 'X-Tdmgate-Delivery';
export const ATTEMPT_HEADER = 'X-Tdmgate-Attempt';
/** What receivers should accept by default: clocks a little apart, and a slow network. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `timestamp.body` under `secret`. */
export function sign(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface DeliveryFacts {
  event: WebhookEventKind;
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
}

/** The headers of one POST of `body`, signed at `nowSeconds`. */
export function signedHeaders(secret: string, body: string, facts: DeliveryFacts, nowSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(nowSeconds));
  return {
    'Content-Type': 'application/json',
    [SIGNATURE_HEADER]: `sha256=${sign(secret, timestamp, body)}`,
    [TIMESTAMP_HEADER]: timestamp,
    [EVENT_HEADER]: facts.event,
    [DELIVERY_HEADER]: facts.deliveryId,
    [ATTEMPT_HEADER]: String(facts.attempt),
  };
}

export type Verification = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * A receiver's check of one request: the headers' values as received, the raw body (before any
 * JSON parsing: a re-serialised body would not match). `stale` is a timestamp more than
 * `toleranceSeconds` from `nowSeconds` either way.
 */
export function verify(secret: string, timestamp: string, body: string, signature: string, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, nowSeconds = Date.now() / 1000): Verification {
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim())?.[1];
  if (!/^\d{1,12}$/.test(timestamp) || hex === undefined) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(hex.toLowerCase(), 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
