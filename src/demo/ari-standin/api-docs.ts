// The ARI Swagger documents the stand-in serves (a copy of Asterisk 22.10.1's rest-api/, see
// api-docs/PROVENANCE.md), read once from the package, and served as res_ari's
// ast_ari_get_docs does: basePath rewritten to http://<Host header>/ari.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root';

export interface ApiDocs {
  /** File name ("resources.json", "channels.json") -> parsed document. */
  readonly docs: ReadonlyMap<string, Record<string, unknown>>;
  /** Event type names (the models of events.json). */
  readonly eventTypes: ReadonlySet<string>;
}

export function defaultDocsDir(): string {
  return path.join(packageRoot(), 'src', 'demo', 'ari-standin', 'api-docs');
}

export function loadApiDocs(dir: string = defaultDocsDir()): ApiDocs {
  const docs = new Map<string, Record<string, unknown>>();
  docs.set('resources.json', JSON.parse(readFileSync(path.join(dir, 'resources.json'), 'utf8')) as Record<string, unknown>);
  for (const file of readdirSync(path.join(dir, 'api-docs')).filter((f) => f.endsWith('.json'))) {
    docs.set(file, JSON.parse(readFileSync(path.join(dir, 'api-docs', file), 'utf8')) as Record<string, unknown>);
  }
  const models = (docs.get('events.json')?.models ?? {}) as Record<string, unknown>;
  return { docs, eventTypes: new Set(Object.keys(models)) };
}

/** The document as Asterisk serves it to a client that sent `host`, or undefined. */
export function servedDoc(docs: ApiDocs, file: string, host: string): Record<string, unknown> | undefined {
  const doc = docs.docs.get(file);
  return doc && { ...doc, basePath: `http://${host}/ari` };
}
