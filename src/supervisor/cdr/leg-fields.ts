// Column values every call leg's record computes the same way, inbound or outbound: times kept
// in order (a late or early clock reading never gives a negative duration) and text that fits
// its column. Pure.

export interface LegTimes {
  end: Date;
  answered: Date | null;
  /** Whole seconds from creation to end, and from answer to end (Asterisk's duration/billsec). */
  duration: number;
  billsec: number;
}

export function legTimes(created: Date, answeredAt: Date | null, endAt: Date): LegTimes {
  const end = endAt < created ? created : endAt;
  const answered = answeredAt === null ? null : answeredAt < created ? created : answeredAt > end ? end : answeredAt;
  return {
    end,
    answered,
    duration: Math.floor((end.getTime() - created.getTime()) / 1000),
    billsec: answered === null ? 0 : Math.floor((end.getTime() - answered.getTime()) / 1000),
  };
}

/** Text for a column of `max` characters: NULs dropped (the CDR check refuses them), clipped. */
export function clip(text: string, max: number): string {
  const clean = text.split(String.fromCharCode(0)).join('');
  return clean.length > max ? clean.slice(0, max) : clean;
}

/** The CDR clid as Asterisk writes it: `"name" <number>`. */
export function clidOf(name: string, number: string): string {
  return clip(`"${name}" <${number}>`, 80);
}

/** AMA flag DOCUMENTATION: what Asterisk writes into every CDR unless the channel sets another. */
export const AMA_DOCUMENTATION = 3;
