// Child process for the unknown/malformed event tests: connects ari-client 2.2.0 to the URL in
// argv, starts app "tdmgate" and reports on stdout, one JSON line each, "started" and every
// uncaught exception the library throws - so the parent's mocha never sees it.

import { ari } from './ari-client-types';

const [url = '', user = '', password = ''] = process.argv.slice(2);
const say = (o: unknown): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);

let wsState: () => number | undefined = () => undefined;
process.on('uncaughtException', (err) => setImmediate(() => say({ uncaught: err.name, message: err.message, wsState: wsState() })));
process.on('disconnect', () => process.exit(0));

void (async () => {
  const client = await ari.connect(url, user, password);
  for (const e of ['StasisStart', 'WebSocketReconnecting', 'WebSocketConnected']) client.on(e, () => say({ event: e }));
  await client.start('tdmgate');
  wsState = () => (client as unknown as { _ws?: { readyState: number } })._ws?.readyState;
  say({ started: true });
})();
