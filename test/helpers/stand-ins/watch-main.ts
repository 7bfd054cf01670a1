// Runs Sesame's network watcher as a process of its own and prints each event as one JSON line,
// for tests where the process must live in a network namespace whose address really changes.
//
//   node --import tsx test/helpers/stand-ins/watch-main.ts '{"providers":[…],"pollMs":200}'
//
// The configuration is JSON: providers (specs, as the settings store them), pollMs, quietMs,
// publicCheckMs, families, acceptNonPublic. It prints {"event":"ready"} once watching.
import { NetworkWatcher } from '../../../src/net/network-watcher.js';
import { ProviderListSchema } from '../../../src/net/public-ip/provider-spec.js';
import type { PublicIpResult } from '../../../src/net/public-ip/public-ip-resolver.js';
import { PublicIpResolver } from '../../../src/net/public-ip/public-ip-resolver.js';

interface WatchConfig {
  readonly providers: unknown;
  readonly pollMs?: number;
  readonly quietMs?: number;
  readonly publicCheckMs?: number;
  readonly families?: (4 | 6)[];
  readonly acceptNonPublic?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WatchConfig;
const resolver = new PublicIpResolver({
  providers: ProviderListSchema.parse(config.providers),
  acceptNonPublic: config.acceptNonPublic ?? false,
  timeoutMs: 1000,
});
const watcher = new NetworkWatcher({
  resolver,
  ...(config.pollMs !== undefined && { pollMs: config.pollMs }),
  ...(config.quietMs !== undefined && { quietMs: config.quietMs }),
  ...(config.publicCheckMs !== undefined && { publicCheckMs: config.publicCheckMs }),
  ...(config.families !== undefined && { families: config.families }),
});

const print = (event: string, payload: object): void => {
  console.log(JSON.stringify({ event, ...payload }));
};
const brief = (result: PublicIpResult) => ({
  family: result.family,
  address: result.address,
  answers: result.answers.map((a) => `${a.provider}=${a.address}`),
  failures: result.failures.map((f) => `${f.provider}: ${f.reason}`),
});
watcher.on('local-change', (change) => print('local-change', change));
watcher.on('public-ip-changed', ({ result, ...change }) =>
  print('public-ip-changed', { ...change, answers: brief(result).answers }),
);
watcher.on('public-ip-unknown', ({ result, ...rest }) =>
  print('public-ip-unknown', { ...rest, failures: brief(result).failures }),
);
watcher.on('public-ip-disagreement', ({ result, ...rest }) =>
  print('public-ip-disagreement', { ...rest, answers: brief(result).answers }),
);
watcher.on('check-done', ({ triggers, results, changed }) =>
  print('check-done', { triggers, changed, results: results.map(brief) }),
);

const stop = (): void => {
  void watcher.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await watcher.start();
print('ready', {});
