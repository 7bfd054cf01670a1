import { describeIssues } from '../../lib/describe-issues.js';
import { ipVersion } from '../ip-address.js';
import {
  hostOfUrl,
  parseServer,
  type ProviderSpec,
  ProviderListSchema,
  ProviderSpecSchema,
  type ProviderSpecInput,
} from './provider-spec.js';

/**
 * Turns what a person types for one provider into a spec: an `http(s)://` URL of a service that
 * answers the address as plain text, a `dns://server[:port]/name?type=TXT&class=CH` URL (the
 * form of RFC 4501), or a whole spec as JSON. A URL whose host is an address serves that
 * address's family only; a host name serves both, each asked over its own family.
 */
export function parseProviderShorthand(text: string): ProviderSpecInput {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new Error(`"${shorten(trimmed)}" is not valid JSON`);
    }
    return checkSpec(value);
  }
  if (/^https?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) throw new Error(`"${shorten(trimmed)}" is not a valid URL`);
    const url = new URL(trimmed);
    const version = ipVersion(hostOfUrl(trimmed) ?? '');
    return checkSpec({
      kind: 'http',
      name: url.host,
      ...(version !== 6 && { ipv4: url.href }),
      ...(version !== 4 && { ipv6: url.href }),
    });
  }
  if (/^dns:\/\//i.test(trimmed)) return parseDnsUrl(trimmed);
  throw new Error(
    `"${shorten(trimmed)}" is not a provider: give an http(s):// or dns:// URL, or a JSON spec`,
  );
}

function parseDnsUrl(text: string): ProviderSpecInput {
  const match = /^dns:\/\/(\[[^\]]+\](?::\d+)?|[^/?]+)\/([^?]+)(?:\?(.*))?$/i.exec(text);
  if (!match) throw new Error(`"${shorten(text)}" is not dns://server[:port]/name[?type=…]`);
  const [, server = '', name = '', query = ''] = match;
  const params = new URLSearchParams(query);
  const type = (params.get('type') ?? 'A').toUpperCase();
  const recordClass = (params.get('class') ?? 'IN').toUpperCase();
  if (!['A', 'AAAA', 'TXT'].includes(type)) throw new Error(`type "${type}" is not A, AAAA or TXT`);
  if (!['IN', 'CH'].includes(recordClass))
    throw new Error(`class "${recordClass}" is not IN or CH`);
  const literal = ipVersion(parseServer(server)?.host ?? '');
  const spec = { server, name, type, class: recordClass };
  const v4 = type === 'A' || (type === 'TXT' && literal !== 6);
  const v6 = type === 'AAAA' || (type === 'TXT' && literal !== 4);
  return checkSpec({
    kind: 'dns',
    name: `dns:${server}`,
    ...(v4 && { ipv4: spec }),
    ...(v6 && { ipv6: spec }),
  });
}

function checkSpec(value: unknown): ProviderSpecInput {
  const parsed = ProviderSpecSchema.safeParse(value);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  return value as ProviderSpecInput;
}

/**
 * Makes a checked list from specs typed one by one: names made unique (`host#2`), then the
 * whole list checked as the settings would check it.
 */
export function providerList(inputs: readonly ProviderSpecInput[]): ProviderSpec[] {
  const seen = new Map<string, number>();
  const named = inputs.map((input) => {
    const count = (seen.get(input.name) ?? 0) + 1;
    seen.set(input.name, count);
    return count === 1 ? input : { ...input, name: `${input.name}#${count}` };
  });
  const parsed = ProviderListSchema.safeParse(named);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  return parsed.data;
}

function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
