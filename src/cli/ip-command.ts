import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PROVIDERS } from '../net/public-ip/default-providers.js';
import { SETTINGS_FILE_NAME, settingsDir } from '../store/settings-dir.js';
import { loadSettings } from '../store/settings-loader.js';
import type { Preferences } from '../store/settings-schema.js';
import { describeIssues } from '../lib/describe-issues.js';
import { parseProviderShorthand, providerList } from '../net/public-ip/provider-shorthand.js';
import {
  type IpVersion,
  type ProviderSpec,
  type ProviderSpecInput,
  ProviderListSchema,
  versionName,
} from '../net/public-ip/provider-spec.js';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  type PublicIpResult,
  PublicIpResolver,
} from '../net/public-ip/public-ip-resolver.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

export const IP_HELP = `usage: sesame ip [options]

Prints this machine's public IPv4 and IPv6 addresses, as services on the internet see them, and
which providers answered. Providers are asked in parallel; an address is taken when two of them
agree (or when the only ones that answered agree).

options:
  -4, --ipv4                 IPv4 only
  -6, --ipv6                 IPv6 only
      --provider <provider>  ask this provider (repeatable): an http(s):// URL that answers the
                             address as plain text, dns://server[:port]/name?type=A|AAAA|TXT,
                             or a provider spec as JSON
      --providers <file>     ask the providers listed in this JSON file
      --timeout <ms>         how long each provider may take (default ${DEFAULT_PROVIDER_TIMEOUT_MS})
      --accept-non-public    take private, loopback and link-local answers too (labs, tests)
      --json                 print the result as JSON
  -h, --help                 this help

Without --provider or --providers, the providers in Sesame's settings are asked (the tray app's
Settings, shared with this command), else the public services ipify, icanhazip, ifconfig.co,
Cloudflare, OpenDNS and Google.

examples:
  sesame ip
  sesame ip -4 --provider https://ip.example.com/
  sesame ip --provider 'dns://[2001:db8::53]/myip.example.com?type=AAAA'
`;

interface IpInvocation {
  readonly versions: readonly IpVersion[];
  readonly explicit: boolean;
  readonly providerTexts: readonly string[];
  readonly providersFile: string | undefined;
  readonly timeoutMs: number;
  readonly acceptNonPublic: boolean;
  readonly json: boolean;
}

export function parseIpArgs(args: readonly string[]): IpInvocation | 'help' {
  const { values, positionals } = parseOptions(args, {
    ipv4: { type: 'boolean', short: '4' },
    ipv6: { type: 'boolean', short: '6' },
    provider: { type: 'string', multiple: true },
    providers: { type: 'string' },
    timeout: { type: 'string' },
    'accept-non-public': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.ipv4 && values.ipv6) throw new UsageError('-4 and -6 exclude each other: pick one');
  if (positionals.length > 0) {
    throw new UsageError(`sesame ip takes no arguments ("${positionals[0]}"); see --help`);
  }
  return {
    versions: values.ipv4 ? [4] : values.ipv6 ? [6] : [4, 6],
    explicit: Boolean(values.ipv4 || values.ipv6),
    providerTexts: values.provider ?? [],
    providersFile: values.providers,
    timeoutMs:
      values.timeout === undefined
        ? DEFAULT_PROVIDER_TIMEOUT_MS
        : intOption('--timeout', values.timeout, 1, 600_000),
    acceptNonPublic: values['accept-non-public'] ?? false,
    json: values.json ?? false,
  };
}

export async function ipCommand(
  args: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const invocation = parseIpArgs(args);
  if (invocation === 'help') {
    io.out(IP_HELP);
    return EXIT_OK;
  }
  const configured =
    invocation.providerTexts.length === 0 && invocation.providersFile === undefined
      ? savedPreferences()
      : undefined;
  const providers = configured?.ipProviders ?? (await loadProviders(invocation));
  for (const version of invocation.versions) {
    const has = providers.some((p) => (version === 4 ? p.ipv4 : p.ipv6) !== undefined);
    if (!has && invocation.explicit) {
      throw new UsageError(`no provider in the list answers ${versionName(version)}`);
    }
  }
  const resolver = new PublicIpResolver({
    providers,
    timeoutMs: invocation.timeoutMs,
    acceptNonPublic: invocation.acceptNonPublic || (configured?.acceptPrivateIp ?? false),
  });
  const results = await Promise.all(
    invocation.versions.map((version) =>
      resolver.resolve(version, { signal, confirmations: 2, waitForAll: true }),
    ),
  );
  const known = results.filter((r) => r.address !== undefined);
  // Without -4/-6 a missing family is normal (many networks have no IPv6): only none is a failure.
  const ok = invocation.explicit ? known.length === results.length : known.length > 0;
  if (invocation.json) {
    io.out(`${JSON.stringify(ipJson(ok, results))}\n`);
  } else if (ok) {
    for (const result of results) io.out(`${describeResult(inOrder(result, providers))}\n`);
  }
  if (ok) return EXIT_OK;
  for (const result of results) {
    if (result.address === undefined)
      io.err(`sesame: ${describeFailure(inOrder(result, providers))}\n`);
  }
  return EXIT_FAILED;
}

/** The preferences from the settings file, read only (never written by this command). */
function savedPreferences(): Preferences | undefined {
  try {
    return loadSettings(join(settingsDir(), `${SETTINGS_FILE_NAME}.json`), new Date()).settings
      .preferences;
  } catch {
    return undefined;
  }
}

async function loadProviders(invocation: IpInvocation): Promise<ProviderSpec[]> {
  const inputs: ProviderSpecInput[] = [];
  if (invocation.providersFile !== undefined)
    inputs.push(...(await readProvidersFile(invocation.providersFile)));
  for (const text of invocation.providerTexts) {
    try {
      inputs.push(parseProviderShorthand(text));
    } catch (error) {
      throw new UsageError(`--provider: ${(error as Error).message}`);
    }
  }
  if (inputs.length === 0) return [...DEFAULT_PROVIDERS];
  try {
    return providerList(inputs);
  } catch (error) {
    throw new UsageError(`providers: ${(error as Error).message}`);
  }
}

async function readProvidersFile(path: string): Promise<ProviderSpecInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`--providers: cannot read "${path}" (${code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--providers: "${path}" is not valid JSON`);
  }
  const parsed = ProviderListSchema.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(`--providers: "${path}": ${describeIssues(parsed.error)}`);
  }
  return value as ProviderSpecInput[];
}

/** Answers and failures in the order of the list, so that a message reads the same every time. */
function inOrder(result: PublicIpResult, providers: readonly ProviderSpec[]): PublicIpResult {
  const rank = (name: string): number => providers.findIndex((p) => p.name === name);
  const byRank = (a: { provider: string }, b: { provider: string }) =>
    rank(a.provider) - rank(b.provider);
  return {
    ...result,
    answers: [...result.answers].sort(byRank),
    failures: [...result.failures].sort(byRank),
  };
}

/** `IPv4 198.51.100.7 from a (3 ms), b (5 ms); c said 203.0.113.9; d failed: timeout after 3 s` */
export function describeResult(result: PublicIpResult): string {
  const name = versionName(result.family);
  if (result.address === undefined) return `${name} unknown: ${why(result)}`;
  const agreeing = result.answers
    .filter((a) => a.address === result.address)
    .map((a) => `${a.provider} (${Math.round(a.ms)} ms)`);
  const parts = [
    `from ${agreeing.join(', ')}`,
    ...result.answers
      .filter((a) => a.address !== result.address)
      .map((a) => `${a.provider} said ${a.address}`),
    ...result.failures.map((f) => `${f.provider} failed: ${f.reason}`),
  ];
  return `${name} ${result.address} ${parts.join('; ')}`;
}

function describeFailure(result: PublicIpResult): string {
  const name = versionName(result.family);
  if (result.disagreement) return `providers disagree about ${name} (${why(result)})`;
  if (result.failures.length === 0) return `no provider in the list answers ${name}`;
  return `no provider answered for ${name} (${why(result)})`;
}

function why(result: PublicIpResult): string {
  const said = result.answers.map((a) => `${a.provider}: ${a.address}`);
  const failed = result.failures.map((f) => `${f.provider}: ${f.reason}`);
  if (said.length === 0 && failed.length === 0) return 'no provider in the list answers it';
  return [...said, ...failed].join('; ');
}

function ipJson(ok: boolean, results: readonly PublicIpResult[]): object {
  const entry = (result: PublicIpResult) => ({
    address: result.address ?? null,
    provider: result.provider ?? null,
    disagreement: result.disagreement,
    answers: result.answers.map((a) => ({ ...a, ms: Math.round(a.ms * 10) / 10 })),
    failures: result.failures,
  });
  return {
    ok,
    ...Object.fromEntries(results.map((r) => [r.family === 4 ? 'ipv4' : 'ipv6', entry(r)])),
  };
}
