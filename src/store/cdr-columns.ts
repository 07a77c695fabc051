// The cdr table as the code sees it: column names, text widths and the row type. Migrations keep
// their own literal copy (a migration never changes once shipped); the store tests check that
// these widths match what the migrated table really has, on both dialects.

/** Widths of the text columns. Asterisk's names; widths as its MySQL schemas use (cdr_mysql /
 *  cdr_adaptive_odbc samples, with the 150-character uniqueid/linkedid of Asterisk's alembic
 *  schema, AST_MAX_UNIQUEID) so Asterisk-made rows fit too. */
export const CDR_TEXT_LIMITS = {
  clid: 80,
  src: 80,
  dst: 80,
  dcontext: 80,
  channel: 80,
  dstchannel: 80,
  lastapp: 80,
  lastdata: 80,
  disposition: 45,
  accountcode: 80,
  uniqueid: 150,
  userfield: 255,
  linkedid: 150,
  peeraccount: 80,
  trunk_group: 80,
  direction: 8,
  route: 80,
} as const;

export type CdrTextColumn = keyof typeof CDR_TEXT_LIMITS;

/** One row of the cdr table as written. Times are Date objects; the repository stores them as
 *  UTC 'YYYY-MM-DD HH:MM:SS' (calldate, second precision as Asterisk) and with milliseconds for
 *  the tdmgate times. */
export interface CdrRow {
  calldate: Date;
  clid: string;
  src: string;
  dst: string;
  dcontext: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  duration: number;
  billsec: number;
  disposition: string;
  /** Asterisk's AMA flag numbers: 0 none/default, 1 OMIT, 2 BILLING, 3 DOCUMENTATION. */
  amaflags: number;
  accountcode: string;
  uniqueid: string;
  userfield: string;
  linkedid: string;
  peeraccount: string;
  sequence: number;
  span: number | null;
  timeslot: number | null;
  trunk_group: string;
  direction: string;
  q850_cause: number | null;
  ring_time: Date | null;
  answer_time: Date | null;
  end_time: Date | null;
  route: string;
}

export const CDR_COLUMNS: readonly (keyof CdrRow)[] = [
  'calldate', 'clid', 'src', 'dst', 'dcontext', 'channel', 'dstchannel', 'lastapp', 'lastdata',
  'duration', 'billsec', 'disposition', 'amaflags', 'accountcode', 'uniqueid', 'userfield',
  'linkedid', 'peeraccount', 'sequence', 'span', 'timeslot', 'trunk_group', 'direction',
  'q850_cause', 'ring_time', 'answer_time', 'end_time', 'route',
];

/** A row as read back: times as the UTC strings the table holds, plus the surrogate id. */
export type StoredCdrRow = { id: number } & {
  [K in keyof CdrRow]: CdrRow[K] extends Date ? string : CdrRow[K] extends Date | null ? string | null : CdrRow[K];
};
