// Call records: GET /cdrs searches (time range, number - also a part of it -, span/timeslot,
// disposition, trunk group, job, direction), a page at a time newest first with a cursor for the
// next; GET /cdrs.csv streams every matching record as CSV for a spreadsheet. Both on the CDR
// store's search (store/cdr-search.ts), whose schemas are the routes' schemas. Viewer.

import type { CdrSearch } from '../../../store/cdr-search';
import { CDR_PAGE_SCHEMA, CDR_QUERY_SCHEMA, CDR_RECORD_SCHEMA } from '../../../store/cdr-query';
import { route, type AnyRoute, type JsonSchema, type ObjectSchema } from '../route-types';

const PROPERTIES = CDR_QUERY_SCHEMA.properties as unknown as Record<string, JsonSchema>;
const DEPENDENT = { dependentRequired: CDR_QUERY_SCHEMA.dependentRequired };
const SEARCH_QUERY: ObjectSchema = { type: 'object', additionalProperties: false, properties: PROPERTIES, ...DEPENDENT };
/** The export writes every matching record: no page size, no cursor. */
const EXPORT_QUERY: ObjectSchema = { type: 'object', additionalProperties: false, properties: without(PROPERTIES, ['limit', 'cursor']), ...DEPENDENT };
/** The page schema refers to the record schema by its $id; inlined, the OpenAPI document stands alone. */
const PAGE: JsonSchema = { ...without(CDR_PAGE_SCHEMA, ['$id', '$schema']), properties: { ...CDR_PAGE_SCHEMA.properties, records: { type: 'array', items: without(CDR_RECORD_SCHEMA, ['$id', '$schema']) } } };

function without(o: object, keys: readonly string[]): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as Record<string, JsonSchema>;
}

export function cdrRoutes(d: { search: Pick<CdrSearch, 'search' | 'exportCsv'> }): AnyRoute[] {
  return [
    route<Record<string, never>, Record<string, unknown>>({
      method: 'get', path: '/cdrs', permission: 'viewer', operationId: 'searchCdrs', tag: 'cdrs',
      summary: 'call records, newest first, a page at a time (`next` is the cursor of the next page)',
      query: SEARCH_QUERY,
      responses: { 200: { description: 'one page', schema: PAGE } },
      handle: async ({ query }) => ({ body: await d.search.search(query) }),
    }),
    route<Record<string, never>, Record<string, unknown>>({
      method: 'get', path: '/cdrs.csv', permission: 'viewer', operationId: 'exportCdrs', tag: 'cdrs',
      summary: 'every matching call record as CSV (RFC 4180, UTF-8 with a byte-order mark for spreadsheets)',
      query: EXPORT_QUERY,
      responses: { 200: { description: 'the records', contentType: 'text/csv' } },
      handle: ({ query }) => ({
        stream: (_req, res) => {
          res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="cdrs.csv"');
          // The query passed the route's schema: what can still fail is the database, mid-stream.
          d.search.exportCsv(query, res, { bom: true }).then(() => res.end(), () => res.destroy());
        },
      }),
    }),
  ];
}
