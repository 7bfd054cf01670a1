import { Resolver } from 'node:dns/promises';
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderSpec } from '../../../src/net/public-ip/provider-spec.js';
import {
  type PublicIpResolverOptions,
  PublicIpResolver,
} from '../../../src/net/public-ip/public-ip-resolver.js';
import { listen } from '../../helpers/loopback.js';
import { TestClock } from '../../helpers/test-clock.js';
import { createSelfSignedCert } from '../../helpers/stand-ins/self-signed.js';
import { dnsProvider, httpProvider, standInPool } from '../../helpers/stand-ins/stand-in-pool.js';

// Public-looking addresses for stand-ins in "fixed" mode: nothing is ever sent to them.
const PUBLIC_V4 = '81.2.69.142';
const OTHER_V4 = '81.2.69.160';
const PUBLIC_V6 = '2a02:1388:1:2::7';

const pool = standInPool();
afterEach(() => pool.closeAll());

let tls: { key: string; cert: string };
beforeAll(() => {
  tls = createSelfSignedCert();
});

function resolver(providers: ProviderSpec[], options: PublicIpResolverOptions = {}) {
  return new PublicIpResolver({ providers, acceptNonPublic: true, timeoutMs: 2000, ...options });
}

describe('each kind of provider, against real servers on loopback', () => {
  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)('answers the request source on %s, for every format', async (host, version) => {
    const text = await pool.http({ host });
    const json = await pool.http({ host, format: 'json', tls });
    const trace = await pool.http({ host, format: 'trace' });
    const dns = await pool.dns(host);
    const providers = [
      httpProvider('text', text),
      httpProvider('json-https', json, 'json'),
      httpProvider('trace', trace, 'trace'),
      dnsProvider('dns-address', dns, version === 4 ? 'A' : 'AAAA'),
      dnsProvider('dns-txt', dns, 'TXT'),
      dnsProvider('dns-txt-ch', dns, 'TXT', 'CH'),
    ];
    for (const provider of providers) {
      const result = await resolver([provider], { ca: tls.cert }).resolve(version);
      expect(result, provider.name).toMatchObject({
        family: version,
        address: host,
        provider: provider.name,
        failures: [],
        disagreement: false,
      });
    }
    expect(text.requests).toEqual([{ source: host, userAgent: 'Sesame/dev' }]);
    expect(dns.queries.map((q) => q.type)).toEqual([version === 4 ? 1 : 28, 16, 16]);
  });

  it('resolveBoth asks each family over its own providers', async () => {
    const v4 = await pool.http({ host: '127.0.0.1' });
    const v6 = await pool.dns('::1');
    const result = await resolver([
      httpProvider('v4', v4),
      dnsProvider('v6', v6, 'AAAA'),
    ]).resolveBoth();
    expect(result.ipv4).toMatchObject({ address: '127.0.0.1', provider: 'v4' });
    expect(result.ipv6).toMatchObject({ address: '::1', provider: 'v6' });
  });

  it('the DNS stand-in speaks real DNS: Node’s own resolver (c-ares) reads its answers', async () => {
    const dns = await pool.dns('127.0.0.1');
    const cares = new Resolver({ timeout: 2000, tries: 1 });
    cares.setServers([dns.server]);
    expect(await cares.resolve4('myip.opendns.com')).toEqual(['127.0.0.1']);
    expect(await cares.resolveTxt('o-o.myaddr.l.google.com')).toEqual([['127.0.0.1']]);
    await dns.setMode({ kind: 'fixed', address: PUBLIC_V6 });
    expect(await cares.resolve6('myip.opendns.com')).toEqual([PUBLIC_V6]);
  });
});

describe('providers that misbehave', () => {
  it.each([
    [
      'text',
      'garbage',
      'not-an-address',
      'not an address: "<html><body><h1>Welcome to Hotel Wi-F..."',
    ],
    ['json', 'garbage', 'not-an-address', 'not JSON: "<html><body><h1>Welcome to Hotel Wi-F..."'],
    ['trace', 'garbage', 'not-an-address', 'no "ip=" line in the answer'],
    [
      'text',
      'wrong-family',
      'wrong-family',
      'answered an IPv6 address (2001:db8::bad) when asked for IPv4',
    ],
    ['json', 'dead', 'network', 'connection refused'],
  ] as const)('HTTP %s, %s: %s', async (format, mode, kind, reason) => {
    const echo = await pool.http({ host: '127.0.0.1', format });
    await echo.setMode({ kind: mode });
    const result = await resolver([httpProvider('p', echo, format)]).resolve(4);
    expect(result).toMatchObject({ address: undefined, answers: [] });
    expect(result.failures).toEqual([{ provider: 'p', kind, reason }]);
  });

  it.each([
    ['A', 'garbage', 'not-an-address', 'malformed DNS response'],
    ['A', 'wrong-family', 'not-an-address', 'no A record in the DNS answer'],
    [
      'TXT',
      'wrong-family',
      'wrong-family',
      'answered an IPv6 address (2001:db8::bad) when asked for IPv4',
    ],
    ['TXT', 'dead', 'network', 'connection refused'],
  ] as const)('DNS %s, %s: %s', async (type, mode, kind, reason) => {
    const dns = await pool.dns('127.0.0.1');
    await dns.setMode({ kind: mode });
    const result = await resolver([dnsProvider('p', dns, type)]).resolve(4);
    expect(result.failures).toEqual([{ provider: 'p', kind, reason }]);
  });

  it('an IPv6 provider answering an IPv4 address is the wrong family too', async () => {
    const dns = await pool.dns('::1', { kind: 'wrong-family' });
    const result = await resolver([dnsProvider('p', dns, 'TXT')]).resolve(6);
    expect(result.failures).toEqual([
      {
        provider: 'p',
        kind: 'wrong-family',
        reason: 'answered an IPv4 address (192.0.2.66) when asked for IPv6',
      },
    ]);
  });

  it('refuses private, loopback and link-local answers unless told to accept them', async () => {
    const priv = await pool.http({ host: '127.0.0.1', mode: { kind: 'private' } });
    const loop = await pool.dns('::1');
    const strict = new PublicIpResolver({
      providers: [httpProvider('private', priv), dnsProvider('loopback', loop, 'AAAA')],
    });
    expect((await strict.resolve(4)).failures).toEqual([
      {
        provider: 'private',
        kind: 'non-public',
        reason: 'answered a private address (10.11.12.13), not a public one',
      },
    ]);
    expect((await strict.resolve(6)).failures).toEqual([
      {
        provider: 'loopback',
        kind: 'non-public',
        reason: 'answered a loopback address (::1), not a public one',
      },
    ]);
    await loop.setMode({ kind: 'fixed', address: PUBLIC_V6 });
    expect((await strict.resolve(6)).address).toBe(PUBLIC_V6);
  });

  it('a slow provider times out, with the time in the reason', async () => {
    const slow = await pool.http({ host: '127.0.0.1', mode: { kind: 'slow', delayMs: 10_000 } });
    const result = await resolver([httpProvider('slow', slow)], { timeoutMs: 300 }).resolve(4);
    expect(result.failures).toEqual([
      { provider: 'slow', kind: 'timeout', reason: 'timeout after 300 ms' },
    ]);
  });

  it('a provider that sends its headers and then stalls times out too', async () => {
    const { server, port } = await listen(
      createServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () =>
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 20\r\n\r\n81.2'),
        );
      }),
    );
    try {
      const stall = httpProvider('stall', { host: '127.0.0.1', url: `http://127.0.0.1:${port}/` });
      const result = await resolver([stall], { timeoutMs: 300 }).resolve(4);
      expect(result.failures).toEqual([
        { provider: 'stall', kind: 'timeout', reason: 'timeout after 300 ms' },
      ]);
    } finally {
      server.close();
    }
  });

  it('a slow DNS provider times out too', async () => {
    const slow = await pool.dns('127.0.0.1', { kind: 'slow', delayMs: 10_000 });
    const result = await resolver([dnsProvider('slow', slow, 'A')], { timeoutMs: 1000 }).resolve(4);
    expect(result.failures).toEqual([
      { provider: 'slow', kind: 'timeout', reason: 'timeout after 1 s' },
    ]);
  });

  it('an answer longer than the limit is refused without reading it all', async () => {
    const trace = await pool.http({ host: '127.0.0.1', format: 'trace' });
    const result = await resolver([httpProvider('big', trace, 'trace')], {
      maxBodyBytes: 16,
    }).resolve(4);
    expect(result.failures).toEqual([
      { provider: 'big', kind: 'too-large', reason: 'answer longer than 16 bytes' },
    ]);
  });

  it('an HTTPS provider whose certificate is not trusted fails as TLS', async () => {
    const echo = await pool.http({ host: '127.0.0.1', tls });
    const result = await resolver([httpProvider('tls', echo)]).resolve(4);
    expect(result.failures).toMatchObject([{ provider: 'tls', kind: 'tls' }]);
    expect(result.failures[0]?.reason).toMatch(/^TLS failed: [A-Z_]+$/);
  });
});

describe('several providers', () => {
  it('the first valid answer wins and the slow ones are cancelled, not failed', async () => {
    const slow = await pool.http({ host: '127.0.0.1', mode: { kind: 'slow', delayMs: 10_000 } });
    const dead = await pool.http({ host: '127.0.0.1' });
    await dead.setMode({ kind: 'dead' });
    const good = await pool.dns('127.0.0.1');
    const result = await resolver(
      [httpProvider('slow', slow), httpProvider('dead', dead), dnsProvider('good', good, 'A')],
      { timeoutMs: 15_000 },
    ).resolve(4);
    expect(result).toMatchObject({ address: '127.0.0.1', provider: 'good' });
    expect(result.answers.map((a) => a.provider)).toEqual(['good']);
    expect(result.failures.map((f) => f.provider)).not.toContain('slow');
  });

  it('with two confirmations, one odd answer does not decide: two agreeing ones do', async () => {
    const odd = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: OTHER_V4 } });
    const a = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: PUBLIC_V4 } });
    const b = await pool.dns('127.0.0.1', { kind: 'fixed', address: PUBLIC_V4 });
    const providers = [httpProvider('odd', odd), httpProvider('a', a), dnsProvider('b', b, 'TXT')];
    const result = await resolver(providers).resolve(4, { confirmations: 2, waitForAll: true });
    expect(result).toMatchObject({ address: PUBLIC_V4, disagreement: true });
    expect(result.answers).toHaveLength(3);
  });

  it('two providers that disagree give no address, and say so', async () => {
    const a = await pool.http({ host: '::1', mode: { kind: 'fixed', address: PUBLIC_V6 } });
    const b = await pool.dns('::1');
    const result = await resolver([httpProvider('a', a), dnsProvider('b', b, 'AAAA')]).resolve(6, {
      confirmations: 2,
    });
    expect(result).toMatchObject({ address: undefined, provider: undefined, disagreement: true });
    expect(result.answers.map((x) => x.address).sort()).toEqual(['2a02:1388:1:2::7', '::1']);
  });

  it('when every provider fails, the result is unknown and nobody is backed off for it', async () => {
    const clock = new TestClock();
    const a = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: PUBLIC_V4 } });
    const b = await pool.dns('127.0.0.1', { kind: 'garbage' });
    const r = new PublicIpResolver({
      providers: [httpProvider('a', a), dnsProvider('b', b, 'A')],
      clock,
      backoff: { initialMs: 1000, factor: 2, maxMs: 60_000 },
    });
    const round = () => r.resolve(4, { waitForAll: true });
    await round(); // b fails beside a good answer: one failure
    await clock.advance(1000);
    await a.setMode({ kind: 'garbage' });
    const failed = await round();
    expect(failed).toMatchObject({ address: undefined, answers: [], disagreement: false });
    expect(failed.failures.map((f) => f.provider).sort()).toEqual(['a', 'b']);
    // Had that round counted, b would now be at three failures and a would be left out.
    await a.setMode({ kind: 'fixed', address: PUBLIC_V4 });
    expect((await round()).skipped).toEqual([]);
    expect((await round()).skipped).toEqual([{ provider: 'b', remainingMs: 2000, failures: 2 }]);
  });

  it('a provider that fails beside a good one is left out, longer each time, then asked again', async () => {
    const clock = new TestClock();
    const bad = await pool.http({ host: '127.0.0.1', mode: { kind: 'private' } });
    const good = await pool.dns('127.0.0.1', { kind: 'fixed', address: PUBLIC_V4 });
    const r = new PublicIpResolver({
      providers: [httpProvider('bad', bad), dnsProvider('good', good, 'A')],
      clock,
      backoff: { initialMs: 1000, factor: 2, maxMs: 3000 },
    });
    const round = () => r.resolve(4, { waitForAll: true });
    expect((await round()).failures.map((f) => f.provider)).toEqual(['bad']);
    expect((await round()).skipped).toEqual([{ provider: 'bad', remainingMs: 1000, failures: 1 }]);
    await clock.advance(1000);
    expect((await round()).failures.map((f) => f.provider)).toEqual(['bad']);
    expect((await round()).skipped).toEqual([{ provider: 'bad', remainingMs: 2000, failures: 2 }]);
    await clock.advance(2000);
    await round();
    // Capped: the third pause is 3 s, not 4.
    expect((await round()).skipped).toEqual([{ provider: 'bad', remainingMs: 3000, failures: 3 }]);
    r.resetBackoff();
    expect((await round()).skipped).toEqual([]);
    expect(bad.requests).toHaveLength(4);
  });

  it('when every provider is backing off, all are asked anyway', async () => {
    const clock = new TestClock();
    const bad = await pool.http({ host: '127.0.0.1', mode: { kind: 'garbage' } });
    const good = await pool.http({ host: '127.0.0.1' });
    const r = new PublicIpResolver({
      providers: [httpProvider('bad', bad)],
      clock,
      acceptNonPublic: true,
    });
    const both = new PublicIpResolver({
      providers: [httpProvider('bad', bad), httpProvider('good', good)],
      clock,
      acceptNonPublic: true,
    });
    await both.resolve(4, { waitForAll: true });
    expect((await both.resolve(4)).skipped.map((s) => s.provider)).toEqual(['bad']);
    // Alone, a backed-off provider is still asked: a round that asks nobody learns nothing.
    expect((await r.resolve(4)).failures.map((f) => f.provider)).toEqual(['bad']);
  });

  it('a cancelled round rejects with the reason and records nothing', async () => {
    const slow = await pool.http({ host: '127.0.0.1', mode: { kind: 'slow', delayMs: 10_000 } });
    const controller = new AbortController();
    const pending = resolver([httpProvider('slow', slow)], { timeoutMs: 15_000 }).resolve(4, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
