import { formatEndpoint } from '../knock/tcp-hit.js';
import { ENCRYPTION_MODE_LABELS } from '../knock/spa/spa-cipher.js';
import { type DigestType, digestInfo } from '../knock/spa/spa-digest.js';
import { MESSAGE_TYPE_LABELS, type SpaFields } from '../knock/spa/spa-message.js';
import type { SpaPacket } from '../knock/spa/spa-packet.js';
import type { PreparedSpa, SpaResult } from '../knock/spa/spa-sender.js';
import type { ProbeResult } from '../probe/tcp-probe.js';
import { checkJson } from './describe-check.js';

/**
 * What `sesame spa -v` and `--test` print: the packet's fields laid out as `fwknop -v` lays them
 * out, so the two can be compared line by line. Keys are never part of it.
 */
function digestLabel(type: DigestType): string {
  return `${digestInfo(type).number} (${type.toUpperCase()})`;
}

const row = (label: string, value: string): string => `${label.padStart(15)}: ${value}`;

/** The field dump; with the packet's cipher layers when it is one Sesame built. */
export function describeFields(
  fields: SpaFields,
  digest: { type: DigestType; value: string; encoded: string },
  built?: SpaPacket,
): string {
  const lines = [
    'SPA Field Values:',
    '=================',
    row('Random Value', fields.randomValue),
    row('Username', fields.username),
    row('Timestamp', String(fields.timestamp)),
    row('FKO Version', fields.version),
    row('Message Type', `${fields.messageType} (${MESSAGE_TYPE_LABELS[fields.messageType]})`),
    row('Message String', fields.message),
    row('Nat Access', fields.natAccess ?? '<NULL>'),
    row('Server Auth', '<NULL>'),
    row('Client Timeout', String(fields.clientTimeout ?? 0)),
    row('Digest Type', digestLabel(digest.type)),
    ...(built
      ? [
          row('HMAC Type', built.hmacDigestType ? digestLabel(built.hmacDigestType) : '0 (None)'),
          row('Encryption Type', '1 (Rijndael)'),
          row('Encryption Mode', ENCRYPTION_MODE_LABELS[built.encryptionMode]),
        ]
      : []),
    row('Encoded Data', digest.encoded),
    row('SPA Data Digest', digest.value),
    ...(built ? [row('HMAC', built.hmac ?? '<NULL>'), row('Final SPA Data', built.wire)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export function describePacket(packet: SpaPacket): string {
  return describeFields(
    packet.fields,
    { type: packet.digestType, value: packet.digest, encoded: packet.encoded },
    packet,
  );
}

export function describeTransmit(prepared: PreparedSpa, transport: string, host: string): string {
  return [
    '',
    'Generating SPA packet:',
    `            protocol: ${transport}`,
    `    destination port: ${prepared.serverPort}`,
    `             IP/host: ${host}`,
    '',
  ].join('\n');
}

export function describeSent(result: SpaResult): string {
  return `sent ${result.bytesSent} bytes to ${formatEndpoint(result.address, result.serverPort)}/${result.transport === 'udp' ? 'udp' : 'tcp'}${result.transport === 'http' ? ' (HTTP)' : ''}\n`;
}

/** `--json`: the request and what became of it; no key, no packet data. */
export function spaJson(result: SpaResult, check: ProbeResult | undefined): object {
  const { fields } = result.packet;
  return {
    ok: check === undefined || check.state === 'open',
    host: result.host,
    address: result.address,
    family: result.family,
    transport: result.transport,
    serverPort: result.serverPort,
    messageType: fields.messageType,
    message: fields.message,
    ...(fields.natAccess !== undefined && { natAccess: fields.natAccess }),
    ...(result.natPort !== undefined && { natPort: result.natPort }),
    ...(fields.clientTimeout !== undefined && { clientTimeout: fields.clientTimeout }),
    timestamp: fields.timestamp,
    bytesSent: result.bytesSent,
    sentAt: result.sentAt,
    durationMs: Math.round(result.durationMs * 10) / 10,
    ...(check && { check: checkJson(check) }),
  };
}
