// Reads and raises the toll-fraud guard's counters (guard_usage, guard_destinations). Every raise
// is one atomic statement or one short transaction on the database all boxes share, so two boxes
// dialling for one token count into the same numbers: an upsert adds to a counter and the
// transaction reads back the sum it made; a destination's first insert fixes its rank for the day.

import type { Knex } from 'knex';

export const GUARD_METRICS = ['calls', 'international-seconds'] as const;
export type GuardMetric = (typeof GUARD_METRICS)[number];

export class GuardUsageRepository {
  constructor(private readonly knex: Knex) {}

  /** Adds `amount` to the counter and returns its new value (this box's and every other's). */
  add(subject: string, metric: GuardMetric, period: string, amount: number): Promise<number> {
    return this.knex.transaction(async (trx) => {
      await trx('guard_usage')
        .insert({ subject, metric, period, value: amount })
        .onConflict(['subject', 'metric', 'period'])
        .merge({ value: trx.raw('?? + ?', ['guard_usage.value', amount]) });
      return readValue(trx, subject, metric, period);
    });
  }

  read(subject: string, metric: GuardMetric, period: string): Promise<number> {
    return readValue(this.knex, subject, metric, period);
  }

  /**
   * Records that `subject` called `destination` on `day` and returns the destination's rank
   * among the day's distinct ones (1 = the first called): a number called before keeps its rank,
   * so calling it again never counts twice, and a new number beyond the cap stays beyond it.
   */
  async addDestination(subject: string, day: string, destination: string): Promise<number> {
    await this.knex('guard_destinations').insert({ subject, day, destination }).onConflict(['subject', 'day', 'destination']).ignore();
    const own = (await this.knex('guard_destinations').where({ subject, day, destination }).first('id')) as { id: number | string } | undefined;
    if (own === undefined) throw new Error(`guard_destinations: the row of ${destination} is missing right after its insert`);
    const rows = (await this.knex('guard_destinations').where({ subject, day }).andWhere('id', '<=', own.id).count({ n: '*' })) as { n: number | string }[];
    return Number(rows[0]?.n ?? 0);
  }

  /** Removes the periods before `day` (YYYY-MM-DD): the caps look at the current hour and day only. */
  async prune(day: string): Promise<void> {
    await this.knex('guard_usage').where('period', '<', day).del();
    await this.knex('guard_destinations').where('day', '<', day).del();
  }
}

async function readValue(k: Knex | Knex.Transaction, subject: string, metric: GuardMetric, period: string): Promise<number> {
  const row = (await k('guard_usage').where({ subject, metric, period }).first('value')) as { value: number | string } | undefined;
  return Number(row?.value ?? 0);
}
