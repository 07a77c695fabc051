// The logger the store reports through (the supervisor's pino logger fits): warnings from knex
// and from the SQLite writer thread, and when migrations ran.

export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
