// `tdmgate supervise`: the main job. Loads the configuration (file, TDMGATE_* environment,
// flags), starts the supervisor and logs to stdout - one readable line per event on a terminal,
// JSON lines (pino) otherwise or when asked - until SIGTERM or Ctrl-C, then shuts down cleanly
// and exits 0. Configuration mistakes exit 64 with one line naming the
// variable or key; anything else that stops the start exits 70.

import { App } from '../app/app';
import { EXIT_CODES } from '../diagnostics/health';
import { loadConfig, type ConfigFlags } from '../supervisor/config';
import { isSupervisorError } from '../supervisor/supervisor-errors';
import { parseCommand, stringOption } from './args';
import { demoSitePath } from './demo-site';
import { chooseLogFormat, createLogger } from './log-output';
import type { CliContext, Command } from './command';

const OPTIONS = {
  config: { type: 'string' },
  site: { type: 'string' },
  backend: { type: 'string' },
  listen: { type: 'string' },
  'demo-rate': { type: 'string' },
  'log-format': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const superviseCommand: Command = {
  name: 'supervise',
  summary: 'run the supervisor: trunks, ARI call control, inbound routing, CDRs (the main job)',
  usage: 'tdmgate supervise [--config FILE] [--site FILE] [--backend sim|dahdi] [--listen HOST:PORT] [--demo-rate N] [--log-format json|pretty]',
  options: OPTIONS,
  help: [
    'Options (each wins over its environment variable, which wins over the config file):',
    '  --config FILE       config file (TDMGATE_CONFIG; default /etc/tdmgate/tdmgate.yaml, may be absent)',
    '  --site FILE         site file (TDMGATE_SITE; default on sim: dahdi-config/sites/sim-demo.yaml)',
    '  --backend sim|dahdi hardware (TDMGATE_BACKEND; default dahdi when /dev/dahdi exists, else sim)',
    '  --listen HOST:PORT  the status page /, /healthz, /readyz, the REST API /api/v1, /metrics (TDMGATE_LISTEN; default 127.0.0.1:8091)',
    '  --demo-rate N       calls per minute of the built-in ARI stand-in\'s traffic (default 30)',
    '  --log-format json|pretty  JSON lines, or one readable line per event (TDMGATE_LOG_FORMAT;',
    '                      default pretty on a terminal, json into a pipe or file)',
    'Environment: TDMGATE_ARI_URL, TDMGATE_ARI_USER, TDMGATE_ARI_PASSWORD (no URL on sim = built-in',
    '  ARI stand-in), TDMGATE_DB_URL (default SQLite <data dir>/tdmgate.db), TDMGATE_DATA_DIR,',
    '  TDMGATE_API_RATE (each API token\'s requests: 20/s,60 = 20 a second, 60 at once; docs/api.md).',
    'Logs on stdout. Stops cleanly on SIGTERM or Ctrl-C.',
    'Exit codes: 0 stopped cleanly, 64 configuration or usage error, 70 could not start.',
    'Details: docs/supervisor.md',
  ],
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values } = parseCommand('supervise', argv, OPTIONS);
    const flags: ConfigFlags = {};
    for (const [flag, key] of [['config', 'config'], ['site', 'site'], ['backend', 'backend'], ['listen', 'listen'], ['demo-rate', 'demoRate'], ['log-format', 'logFormat']] as const) {
      const v = stringOption(values, flag);
      if (v !== undefined) flags[key] = v;
    }
    let config;
    try {
      config = await loadConfig({ env: ctx.env, flags });
    } catch (err) {
      if (!isSupervisorError(err)) throw err;
      ctx.stderr.write(`tdmgate supervise: ${err.message}\n`);
      return EXIT_CODES.USAGE;
    }
    const logger = createLogger(chooseLogFormat(config.logFormat, ctx.stdout), ctx.stdout);
    let app: App;
    try {
      app = await App.start({ config, logger, demoSitePath: demoSitePath() });
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code }, 'supervisor could not start');
      ctx.stderr.write(`tdmgate supervise: ${err instanceof Error ? err.message : String(err)}\n`);
      return isSupervisorError(err, 'CONFIG_INVALID') ? EXIT_CODES.USAGE : EXIT_CODES.INTERNAL;
    }
    if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await app.stop();
    return EXIT_CODES.OK;
  },
};
