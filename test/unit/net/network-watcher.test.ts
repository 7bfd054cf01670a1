import { once } from 'node:events';
import type { NetworkInterfaceInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NetworkWatcher,
  type NetworkWatcherEvents,
  type NetworkWatcherOptions,
} from '../../../src/net/network-watcher.js';
import type { IpVersion } from '../../../src/net/public-ip/provider-spec.js';
import { PublicIpResolver } from '../../../src/net/public-ip/public-ip-resolver.js';
import type { HttpEcho } from '../../helpers/stand-ins/http-echo.js';
import { httpProvider, standInPool } from '../../helpers/stand-ins/stand-in-pool.js';
import { TestClock } from '../../helpers/test-clock.js';

// The watcher runs on a TestClock; the resolver under it is the real one, asking real HTTP
// stand-ins on loopback, which answer public-looking addresses in "fixed" mode.
const X = '81.2.69.142';
const Y = '81.2.69.160';

const pool = standInPool();
const watchers: NetworkWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  await pool.closeAll();
});

/** What the OS would report; tests flip it. */
class FakeNetwork {
  address = '192.168.1.20';
  routes = 'default via 192.168.1.1 dev wlan0 metric 600';
  reads = 0;
  interfaces = (): NodeJS.Dict<NetworkInterfaceInfo[]> => {
    this.reads += 1;
    const info = { address: this.address, cidr: `${this.address}/24`, internal: false };
    return { wlan0: [info as NetworkInterfaceInfo] };
  };
  readRoutes = (): Promise<string> => Promise.resolve(this.routes);
}

type Name = Exclude<keyof NetworkWatcherEvents, 'error'>;
type Recorded = { [K in Name]: { name: K; event: NetworkWatcherEvents[K][0] } }[Name];

async function setup(
  answers: readonly string[],
  options: Partial<NetworkWatcherOptions> & { families?: readonly IpVersion[] } = {},
) {
  const clock = new TestClock();
  const net = new FakeNetwork();
  const stands: HttpEcho[] = [];
  for (const address of answers) {
    stands.push(await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address } }));
  }
  const resolver = new PublicIpResolver({
    providers: stands.map((s, i) => httpProvider(`p${i}`, s)),
  });
  const watcher = new NetworkWatcher({
    resolver,
    clock,
    families: [4],
    readInterfaces: net.interfaces,
    readDefaultRoutes: () => net.readRoutes(),
    pollMs: 250,
    quietMs: 2000,
    ...options,
  });
  watchers.push(watcher);
  const events: Recorded[] = [];
  watcher.on('local-change', (event) => events.push({ name: 'local-change', event }));
  watcher.on('public-ip-changed', (event) => events.push({ name: 'public-ip-changed', event }));
  watcher.on('public-ip-unknown', (event) => events.push({ name: 'public-ip-unknown', event }));
  watcher.on('public-ip-disagreement', (event) =>
    events.push({ name: 'public-ip-disagreement', event }),
  );
  watcher.on('check-done', (event) => events.push({ name: 'check-done', event }));
  const named = <K extends Name>(name: K): NetworkWatcherEvents[K][0][] =>
    events.filter((e) => e.name === name).map((e) => e.event as NetworkWatcherEvents[K][0]);
  const nextCheck = () => once(watcher, 'check-done');
  const started = nextCheck();
  await watcher.start();
  await started;
  return { clock, net, stands, watcher, events, named, nextCheck };
}

const setAll = (stands: HttpEcho[], address: string) =>
  Promise.all(stands.map((s) => s.setMode({ kind: 'fixed', address })));

describe('NetworkWatcher', () => {
  it('checks at start and reports the first address as a change from nothing', async () => {
    const { named, watcher } = await setup([X, X]);
    expect(named('public-ip-changed')).toMatchObject([
      { family: 4, previous: undefined, current: X },
    ]);
    expect(named('check-done')).toMatchObject([{ triggers: ['start'], changed: true }]);
    expect(watcher.current()).toEqual({ ipv4: X });
  });

  it('ten flips in five seconds cause one check and one change, after the quiet period', async () => {
    const { clock, net, stands, named, nextCheck, events } = await setup([X, X]);
    events.length = 0;
    await setAll(stands, Y);
    for (let i = 0; i < 10; i += 1) {
      net.address = `192.168.1.${30 + i}`;
      await clock.advance(500);
    }
    expect(named('check-done')).toEqual([]);
    const done = nextCheck();
    await clock.advance(2000);
    await done;
    expect(named('local-change')).toMatchObject([{ changes: 10 }]);
    expect(named('public-ip-changed')).toMatchObject([{ family: 4, previous: X, current: Y }]);
    expect(named('check-done')).toMatchObject([{ triggers: ['network'], changed: true }]);
    await clock.advance(60_000);
    expect(events.map((e) => e.name)).toEqual(['local-change', 'public-ip-changed', 'check-done']);
  });

  it('a network that flaps back to where it was checks once but reports no local change', async () => {
    const { clock, net, named, nextCheck, events } = await setup([X, X]);
    events.length = 0;
    const done = nextCheck();
    net.address = '10.9.9.9';
    await clock.advance(500);
    net.address = '192.168.1.20';
    await clock.advance(3000);
    await done;
    expect(named('local-change')).toEqual([]);
    expect(named('public-ip-changed')).toEqual([]);
    expect(named('check-done')).toMatchObject([{ triggers: ['network'], changed: false }]);
  });

  it('a default route change alone is a local change', async () => {
    const { clock, net, named, nextCheck } = await setup([X, X]);
    const done = nextCheck();
    net.routes = 'default via 10.0.0.1 dev eth0 metric 100';
    await clock.advance(2500);
    await done;
    expect(named('local-change')).toHaveLength(1);
  });

  it('the slow timer finds a change behind the router after five minutes, not before', async () => {
    const { clock, stands, named, nextCheck } = await setup([X, X], { pollMs: 2000 });
    await setAll(stands, Y);
    await clock.advance(299_000);
    expect(named('check-done')).toHaveLength(1);
    const done = nextCheck();
    await clock.advance(1000);
    await done;
    expect(named('check-done')[1]).toMatchObject({ triggers: ['timer'], changed: true });
    expect(named('public-ip-changed')[1]).toMatchObject({ previous: X, current: Y });
    expect(named('local-change')).toEqual([]);
  });

  it('notify() from the tray is debounced: resume then unlock is one check', async () => {
    const { clock, watcher, named, nextCheck } = await setup([X, X]);
    const done = nextCheck();
    watcher.notify('resume');
    await clock.advance(1000);
    watcher.notify('unlock');
    await clock.advance(1999);
    expect(named('check-done')).toHaveLength(1);
    await clock.advance(1);
    await done;
    expect(named('check-done')[1]).toMatchObject({ triggers: ['resume', 'unlock'] });
  });

  it('notify() forgets backoff: a provider left out is asked again', async () => {
    const { clock, stands, watcher, nextCheck } = await setup([X, X, X], { confirmations: 3 });
    const bad = stands[2] as HttpEcho;
    await bad.setMode({ kind: 'garbage' });
    let done = nextCheck();
    watcher.checkNow();
    await done;
    const asked = bad.requests.length;
    done = nextCheck();
    watcher.checkNow();
    await done;
    expect(bad.requests.length).toBe(asked);
    done = nextCheck();
    watcher.notify('online');
    await clock.advance(2000);
    await done;
    expect(bad.requests.length).toBe(asked + 1);
  });

  it('neither one odd answer, nor a disagreement, nor a failed round changes the address', async () => {
    const { clock, stands, watcher, named, nextCheck } = await setup([X, X, X]);
    const [a, , c] = stands as [HttpEcho, HttpEcho, HttpEcho];
    const check = async () => {
      const done = nextCheck();
      watcher.checkNow();
      await done;
    };
    await c.setMode({ kind: 'fixed', address: Y });
    await check();
    await a.setMode({ kind: 'fixed', address: Y });
    await c.setMode({ kind: 'dead' });
    await check();
    expect(named('public-ip-disagreement')).toMatchObject([
      { family: 4, current: X, addresses: expect.arrayContaining([X, Y]) as unknown },
    ]);
    await Promise.all(stands.map((s) => s.setMode({ kind: 'dead' })));
    await check();
    expect(named('public-ip-unknown')).toMatchObject([{ family: 4, current: X }]);
    expect(named('public-ip-changed')).toHaveLength(1);
    expect(watcher.current()).toEqual({ ipv4: X });
    // A lost address is checked again soon (15 s, doubling after each unsettled round), not
    // only after five minutes: two unsettled rounds in a row here, so 30 s.
    await Promise.all(stands.map((s) => s.setMode({ kind: 'fixed', address: Y })));
    await clock.advance(29_999);
    expect(named('check-done')).toHaveLength(4);
    const done = nextCheck();
    await clock.advance(1);
    await done;
    expect(named('public-ip-changed')[1]).toMatchObject({ previous: X, current: Y });
    expect(named('check-done').map((d) => d.changed)).toEqual([true, false, false, false, true]);
  });

  it('a family never learned (no IPv6 here) waits for the slow timer, not the quick retry', async () => {
    // The only provider answers IPv6 when asked for IPv4: nothing is ever learned.
    const { clock, named, nextCheck } = await setup(['2a02:1388::7'], { pollMs: 5000 });
    expect(named('public-ip-unknown')).toMatchObject([{ family: 4, current: undefined }]);
    await clock.advance(299_000);
    expect(named('check-done')).toHaveLength(1);
    const done = nextCheck();
    await clock.advance(1000);
    await done;
    expect(named('public-ip-unknown')).toHaveLength(2);
  });

  it('a reading that fails is reported as an error, and watching goes on', async () => {
    const { clock, net, watcher, named, nextCheck } = await setup([X, X]);
    const errors: Error[] = [];
    watcher.on('error', (error) => errors.push(error));
    const read = net.readRoutes;
    net.readRoutes = () => Promise.reject(new Error('no /proc here'));
    await clock.advance(250);
    expect(errors.map((e) => e.message)).toEqual(['no /proc here']);
    net.readRoutes = read;
    const done = nextCheck();
    net.address = '10.1.1.1';
    await clock.advance(2500);
    await done;
    expect(named('local-change')).toHaveLength(1);
  });

  it('idle, it waits on a single timer', async () => {
    const { clock, net } = await setup([X, X]);
    const reads = net.reads;
    await clock.advance(10_000);
    expect(clock.pending).toBe(1);
    expect(net.reads - reads).toBe(40);
  });

  it('stop() ends every timer and cancels a check in progress', async () => {
    const { clock, stands, watcher, named } = await setup([X, X]);
    await Promise.all(stands.map((s) => s.setMode({ kind: 'slow', delayMs: 10_000 })));
    watcher.checkNow();
    await clock.advance(0);
    await watcher.stop();
    expect(clock.pending).toBe(0);
    expect(named('check-done')).toHaveLength(1);
  });
});

describe('NetworkWatcher over both families', () => {
  it('follows IPv4 and IPv6 each on its own', async () => {
    const v4 = await pool.http({ host: '127.0.0.1' });
    const v6 = await pool.http({ host: '::1' });
    const clock = new TestClock();
    const net = new FakeNetwork();
    const watcher = new NetworkWatcher({
      resolver: new PublicIpResolver({
        providers: [httpProvider('v4', v4), httpProvider('v6', v6)],
        acceptNonPublic: true,
      }),
      clock,
      readInterfaces: net.interfaces,
      readDefaultRoutes: net.readRoutes,
    });
    watchers.push(watcher);
    const changes: NetworkWatcherEvents['public-ip-changed'][0][] = [];
    watcher.on('public-ip-changed', (change) => changes.push(change));
    const done = once(watcher, 'check-done');
    await watcher.start();
    await done;
    expect(changes.map((c) => [c.family, c.current]).sort()).toEqual([
      [4, '127.0.0.1'],
      [6, '::1'],
    ]);
    expect(watcher.current()).toEqual({ ipv4: '127.0.0.1', ipv6: '::1' });
  });
});
