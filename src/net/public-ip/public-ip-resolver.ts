import { VERSION } from '../../lib/version.js';
import { abortReason, type Clock, systemClock } from '../../lib/clock.js';
import { linkedController } from '../../lib/abort-link.js';
import { extractAddress, validateAddress } from './answer.js';
import { DEFAULT_PROVIDERS } from './default-providers.js';
import { dnsAsk } from './dns-ask.js';
import { httpAsk } from './http-ask.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, ProviderBackoff } from './provider-backoff.js';
import {
  describeNetworkError,
  formatDuration,
  ProviderError,
  type ProviderFailureKind,
} from './provider-error.js';
import { IP_VERSIONS, type IpVersion, type ProviderSpec } from './provider-spec.js';

export interface PublicIpResolverOptions {
  /** Checked specs (ProviderListSchema); DEFAULT_PROVIDERS when left out. */
  readonly providers?: readonly ProviderSpec[];
  readonly clock?: Clock;
  /** How long one provider may take, in milliseconds (default 3000). */
  readonly timeoutMs?: number;
  /**
   * Take private, loopback, link-local and other non-public answers as the public IP. Off by
   * default, since a real echo service never answers them; labs and tests use such addresses
   * for their stand-ins and turn it on.
   */
  readonly acceptNonPublic?: boolean;
  /** Extra trusted certificates (PEM) for the HTTPS providers. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  readonly userAgent?: string;
  /** Largest answer body accepted from an HTTP provider (default 1024 bytes). */
  readonly maxBodyBytes?: number;
  readonly backoff?: BackoffPolicy;
}

export interface ResolveOptions {
  readonly signal?: AbortSignal;
  /**
   * How many providers must give the same address before it is taken (default 1: the first
   * valid answer wins). When fewer providers answer at all, their answer is taken if they agree.
   */
  readonly confirmations?: number;
  /** Keep asking the others after the decision, for a full report (`sesame ip`). */
  readonly waitForAll?: boolean;
}

export interface ProviderAnswer {
  readonly provider: string;
  readonly address: string;
  /** From the start of the round to this answer. */
  readonly ms: number;
}

export interface ProviderFailure {
  readonly provider: string;
  readonly kind: ProviderFailureKind;
  readonly reason: string;
}

export interface SkippedProvider {
  readonly provider: string;
  /** Milliseconds it is still left out for, after `failures` failures in a row. */
  readonly remainingMs: number;
  readonly failures: number;
}

export interface PublicIpResult {
  readonly family: IpVersion;
  /** Undefined when no provider answered, or when they disagree without a decision. */
  readonly address: string | undefined;
  /** The first provider that gave the address taken. */
  readonly provider: string | undefined;
  readonly answers: readonly ProviderAnswer[];
  readonly failures: readonly ProviderFailure[];
  /** Providers left out of this round because they failed recently. */
  readonly skipped: readonly SkippedProvider[];
  /** True when valid answers named more than one address. */
  readonly disagreement: boolean;
}

export const DEFAULT_PROVIDER_TIMEOUT_MS = 3000;
const DEFAULT_MAX_BODY_BYTES = 1024;

/**
 * Finds the machine's public IPv4 or IPv6 address by asking independent providers in parallel.
 * Every answer must be an address of the asked family (and public, unless told otherwise); the
 * first address that enough providers agree on wins and the other requests are cancelled.
 */
export class PublicIpResolver {
  readonly providers: readonly ProviderSpec[];
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly acceptNonPublic: boolean;
  private readonly ca: PublicIpResolverOptions['ca'];
  private readonly userAgent: string;
  private readonly maxBodyBytes: number;
  private readonly backoff: ProviderBackoff;

  constructor(options: PublicIpResolverOptions = {}) {
    this.providers = options.providers ?? DEFAULT_PROVIDERS;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
    this.acceptNonPublic = options.acceptNonPublic ?? false;
    this.ca = options.ca;
    this.userAgent = options.userAgent ?? `Sesame/${VERSION}`;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.backoff = new ProviderBackoff(this.clock, options.backoff ?? DEFAULT_BACKOFF);
  }

  /** The providers that can be asked for this family at all. */
  providersFor(version: IpVersion): ProviderSpec[] {
    return this.providers.filter((spec) => (version === 4 ? spec.ipv4 : spec.ipv6) !== undefined);
  }

  async resolveBoth(
    options: ResolveOptions = {},
  ): Promise<{ ipv4: PublicIpResult; ipv6: PublicIpResult }> {
    const [ipv4, ipv6] = await Promise.all(IP_VERSIONS.map((v) => this.resolve(v, options)));
    return { ipv4: ipv4 as PublicIpResult, ipv6: ipv6 as PublicIpResult };
  }

  /** Forgets which providers failed: the tray calls this when the network has changed. */
  resetBackoff(): void {
    this.backoff.reset();
  }

  async resolve(version: IpVersion, options: ResolveOptions = {}): Promise<PublicIpResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    const confirmations = Math.max(1, options.confirmations ?? 1);
    const candidates = this.providersFor(version);
    const key = (spec: ProviderSpec): string => `${spec.name}/${version}`;
    let asked = candidates.filter((spec) => this.backoff.remainingMs(key(spec)) === 0);
    // When every provider is backing off, a round that asks nobody would learn nothing, and the
    // cause (this machine offline) may well be gone: ask them all.
    if (asked.length === 0) asked = candidates;
    const skipped = candidates
      .filter((spec) => !asked.includes(spec))
      .map((spec) => ({
        provider: spec.name,
        remainingMs: this.backoff.remainingMs(key(spec)),
        failures: this.backoff.failures(key(spec)),
      }));

    const started = this.clock.monotonic();
    // Aborted by the caller, or by this round once it is decided (to cancel the rest).
    const { controller: decided, unlink } = linkedController([signal]);
    const round = decided.signal;
    const answers: ProviderAnswer[] = [];
    const failures: (ProviderFailure & { spec: ProviderSpec })[] = [];
    const votes = new Map<string, number>();
    let winner: ProviderAnswer | undefined;

    await Promise.all(
      asked.map(async (spec) => {
        try {
          const address = await this.ask(spec, version, round);
          if (round.aborted) return;
          const answer = { provider: spec.name, address, ms: this.clock.monotonic() - started };
          answers.push(answer);
          const count = (votes.get(address) ?? 0) + 1;
          votes.set(address, count);
          if (winner === undefined && count >= confirmations) {
            winner = answers.find((a) => a.address === address);
            if (!options.waitForAll) decided.abort();
          }
        } catch (error) {
          // Requests cut short because the round is decided or cancelled are not failures.
          if (round.aborted) return;
          const failure = error instanceof ProviderError ? error : describeNetworkError(error);
          failures.push({ spec, provider: spec.name, kind: failure.kind, reason: failure.message });
        }
      }),
    ).finally(unlink);
    if (signal?.aborted) throw abortReason(signal);

    // Fewer providers answered than the confirmations asked for: take their answer if they agree.
    if (winner === undefined && votes.size === 1) winner = answers[0];
    // A round where nobody answered says more about this machine's network (offline, a captive
    // portal) than about the providers, so only failures beside a good answer count against them.
    if (answers.length > 0) {
      for (const failure of failures) this.backoff.failed(key(failure.spec));
      for (const answer of answers) {
        const spec = asked.find((s) => s.name === answer.provider);
        if (spec && answer.address === winner?.address) this.backoff.succeeded(key(spec));
      }
    }
    return {
      family: version,
      address: winner?.address,
      provider: winner?.provider,
      answers,
      failures: failures.map(({ provider, kind, reason }) => ({ provider, kind, reason })),
      skipped,
      disagreement: votes.size > 1,
    };
  }

  /** One provider, bounded by the timeout; returns its answer as a checked, canonical address. */
  private async ask(spec: ProviderSpec, version: IpVersion, round: AbortSignal): Promise<string> {
    const timer = new AbortController();
    const { controller: timeout, unlink } = linkedController([round]);
    const timeoutError = new ProviderError(
      'timeout',
      `timeout after ${formatDuration(this.timeoutMs)}`,
    );
    let timedOut = false;
    this.clock.sleep(this.timeoutMs, timer.signal).then(
      () => {
        timedOut = true;
        timeout.abort(timeoutError);
      },
      () => undefined,
    );
    const signal = timeout.signal;
    try {
      let text: string;
      if (spec.kind === 'http') {
        const url = version === 4 ? spec.ipv4 : spec.ipv6;
        const body = await httpAsk({
          url: url ?? '',
          version,
          userAgent: this.userAgent,
          maxBodyBytes: this.maxBodyBytes,
          signal,
          ...(this.ca !== undefined && { ca: this.ca }),
        });
        text = extractAddress(spec.format, body);
      } else {
        const query = version === 4 ? spec.ipv4 : spec.ipv6;
        if (query === undefined) throw new ProviderError('network', 'no query for this family');
        text = (await dnsAsk({ query, version, signal })).trim();
      }
      return validateAddress(text, version, this.acceptNonPublic);
    } catch (error) {
      if (timedOut && !round.aborted) throw timeoutError;
      throw error;
    } finally {
      timer.abort();
      unlink();
    }
  }
}
