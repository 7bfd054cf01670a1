import { writeFile } from 'node:fs/promises';
import { decodeSpaPacket } from '../knock/spa/spa-decode.js';
import { SpaError } from '../knock/spa/spa-error.js';
import { formatKeyGen, generateSpaKeys, type SpaKeys } from '../knock/spa/spa-keys.js';
import type { SpaOptions } from '../knock/spa/spa-options.js';
import { prepareSpa, sendSpa, systemUsername } from '../knock/spa/spa-sender.js';
import { defaultFwknoprcPath, readFwknoprcFile } from '../formats/fwknoprc-file.js';
import {
  formatFwknoprcStanza,
  fwknoprcEntries,
  putFwknoprcStanza,
} from '../formats/fwknoprc-writer.js';
import { waitForOpen } from '../probe/tcp-probe.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io.js';
import { reportCheck } from './describe-check.js';
import { loadRc } from './spa-rc.js';
import { intOption } from './parse-options.js';
import {
  asUsageError,
  digestOption,
  parseSpaArgs,
  type SpaArgs,
  spaKeysFrom,
  spaOptionsFrom,
} from './spa-args.js';
import {
  describeFields,
  describePacket,
  describeSent,
  describeTransmit,
  spaJson,
} from './spa-report.js';

export const SPA_HELP = `usage: sesame spa -A <proto/port> -a <ip>|-s|-R -D <host> [options]
       sesame spa -n <stanza> [options]
       sesame spa --key-gen [--key-gen-file <file>]

Sends one fwknop Single Packet Authorization packet to fwknopd. The options are those of
fwknop's own client, with the same names and meaning, and ~/.fwknoprc is read as fwknop reads it.

request:
  -A, --access <list>          what to open: tcp/22[,udp/53...]
  -a, --allow-ip <ip>          the IPv4 address fwknopd should let in
  -s, --source-ip              let in the address the packet comes from (0.0.0.0)
  -R, --resolve-ip-https       let in your public IP, as a web service sees it
      --resolve-url <url>      where -R asks (default: the providers of sesame ip)
      --resolve-http-only      ask --resolve-url over http instead of https
  -D, --destination <host>     the fwknopd server
  -N, --nat-access <host[:port]>  NAT to a host behind the server
      --nat-local              NAT to a port of the server itself
      --nat-port <port>        the port to connect to, translated to the access port
      --nat-rand-port          a random NAT port (printed)
  -f, --fw-timeout <seconds>   how long the firewall rule should last
  -U, --spoof-user <name>      the username in the packet (REQUIRE_USERNAME)
      --time-offset-plus <t>   add to the timestamp: 90, 10min, 2h, 1d
      --time-offset-minus <t>  subtract from the timestamp

keys and crypto (keys are never printed, logged or put in --json):
      --key-base64-rijndael <b64>  the encryption key, base64 (KEY_BASE64)
      --key-rijndael <text>        the encryption key as a passphrase (KEY)
      --key-base64-hmac <b64>      the HMAC key, base64 (HMAC_KEY_BASE64)
      --key-hmac <text>            the HMAC key as a passphrase (HMAC_KEY)
      --use-hmac                   require an HMAC key
      --hmac-digest-type <d>       md5 sha1 sha256 (default) sha384 sha512 sha3_256 sha3_512
  -m, --digest-type <d>        the digest inside the packet (same choices, sha256 default)
  -M, --encryption-mode <m>    CBC (default), CTR, CFB, OFB, ECB or legacy (fwknop before 2.5)
  -k, --key-gen                print a new key pair (32-byte Rijndael, 64-byte HMAC), as fwknop
  -K, --key-gen-file <file>    write the new key pair to a file instead
      --key-len <n>            bytes of the generated Rijndael key (default 32)
      --hmac-key-len <n>       bytes of the generated HMAC key (default 64)

transport:
  -P, --server-proto <p>       udp (default), tcp or http
  -p, --server-port <port>     default 62201
  -r, --rand-port              send to a random UDP port from 10000 up
  -u, --user-agent <ua>        User-Agent for http (default Fwknop/2.6.10)

~/.fwknoprc:
  -n, --named-config <name>    read the [name] stanza over [default]
      --rc-file <file>         another rc file
      --no-rc-file             read none
      --save-rc-stanza         write this request (keys too) as stanza -n, or as [-D host]
      --force-stanza           let --save-rc-stanza replace a stanza that holds keys

output:
  -v, --verbose                print the packet's fields (not the keys), as fwknop -v
  -T, --test                   build the packet and read it back, but send nothing
      --check <port>           after sending, check that <port> answers; fail if it does not
      --timeout <ms>           how long --check waits (default 3000)
      --json                   print the result as JSON
  -h, --help                   this help

Accepted for fwknop's sake, with no effect: --no-save-args, --server-resolve-ipv4 (Sesame
never writes ~/.fwknop.run, and always sends over IPv4, which is all fwknopd reads).

Exit status: 0 sent (and --check found the port open), 1 it failed, 2 the request or the rc file
is wrong. Sesame does not prompt for keys: give them as options or in ~/.fwknoprc.
`;

const DEFAULT_CHECK_TIMEOUT_MS = 3000;

export async function spaCommand(
  args: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const values = parseSpaArgs(args);
  if (values.help) {
    io.out(SPA_HELP);
    return EXIT_OK;
  }
  if (values['key-gen'] || values['key-gen-file'] !== undefined) return keyGen(values, io);
  if (values.timeout !== undefined && values.check === undefined) {
    throw new UsageError('--timeout applies to --check: add --check <port>');
  }
  if (values.test && values.check !== undefined) {
    throw new UsageError('--test sends nothing, so there is nothing to --check');
  }
  const checkPort =
    values.check === undefined ? undefined : intOption('--check port', values.check, 1, 65535);
  const timeoutMs =
    values.timeout === undefined
      ? DEFAULT_CHECK_TIMEOUT_MS
      : intOption('--timeout', values.timeout, 1, 600_000);

  const rc = await loadRc(values, io);
  if (rc === undefined) return EXIT_USAGE;
  const options = spaOptionsFrom(values, rc);
  const keys = spaKeysFrom(values, rc, options);
  const host = values.destination ?? rc.server;
  if (host === undefined) {
    throw new UsageError('say where fwknopd runs: -D host (or SPA_SERVER in the stanza)');
  }
  if (values['save-rc-stanza']) await saveStanza(values, host, options, keys, io);
  const verbose = (values.verbose ?? rc.verbose ?? false) && !values.json;
  const request = {
    host,
    keys,
    options,
    signal,
    defaultUsername: defaultUsername(),
    resolveAllowIp: async (abort?: AbortSignal) =>
      (await import('./spa-public-ip.js')).resolveAllowIp(
        values['resolve-url'] ?? rc.resolveUrl,
        values['resolve-http-only'] ?? rc.resolveHttpOnly ?? false,
        values['user-agent'] ?? rc.httpUserAgent,
        abort,
      ),
  };
  if (values.test) return testMode(request, verbose, values.json ?? false, io);

  // A request Sesame will not build (keys, limits) is wrong usage; a network failure is not.
  const result = await sendSpa(request).catch((error: unknown) =>
    error instanceof SpaError ? asUsageError(error) : Promise.reject(error as Error),
  );
  if (result.packet.legacyKeyTruncated) io.err(LEGACY_WARNING);
  if (result.natPort !== undefined && options.natRandPort && !values.json) {
    io.out(
      `[+] Randomly assigned port '${result.natPort}' on: '${result.packet.fields.message}' will grant access to: '${result.packet.fields.natAccess ?? ''}'\n`,
    );
  }
  if (verbose) {
    io.out(describePacket(result.packet));
    io.out(describeTransmit(result, options.transport, host));
    io.out(describeSent(result));
  }
  const check =
    checkPort === undefined
      ? undefined
      : await waitForOpen(result.address, checkPort, { timeoutMs, signal });
  if (values.json) io.out(`${JSON.stringify(spaJson(result, check))}\n`);
  return reportCheck(check, timeoutMs, values.json ?? false, io);
}

const LEGACY_WARNING =
  'sesame: warning: an encryption key in legacy mode must be at most 16 bytes; it was cut to 16, as fwknop does (upgrading the server to fwknopd 2.5 or later is better)\n';

/** fwknop's order: the SPOOF_USER variable, then the login name, then the account. */
function defaultUsername(): string {
  const env = process.env;
  return env.SPOOF_USER || env.LOGNAME || env.USER || systemUsername();
}

async function saveStanza(
  values: SpaArgs,
  host: string,
  options: SpaOptions,
  keys: SpaKeys,
  io: CliIo,
): Promise<void> {
  if (values['no-rc-file'])
    throw new UsageError('--save-rc-stanza and --no-rc-file exclude each other');
  const path = values['rc-file'] ?? defaultFwknoprcPath();
  const name = values['named-config'] ?? host;
  const text = (await readFwknoprcFile(path)) ?? '';
  let updated: string;
  try {
    const stanza = formatFwknoprcStanza(name, fwknoprcEntries({ server: host, options, keys }));
    updated = putFwknoprcStanza(text, name, stanza, { force: values['force-stanza'] ?? false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // A new file of mode 0600 renamed over the old one: the keys are never readable by others.
  writeFileAtomic(path, updated, 0o600);
  if (!values.json) io.out(`[+] Wrote the stanza [${name}] to ${path}\n`);
}

async function keyGen(values: SpaArgs, io: CliIo): Promise<number> {
  if (values.json) {
    throw new UsageError('--key-gen prints keys, which --json never does: leave out --json');
  }
  const hmacDigestType = values['hmac-digest-type'];
  const keyLength = values['key-len'];
  const hmacKeyLength = values['hmac-key-len'];
  const keys = generateSpaKeys({
    ...(keyLength !== undefined && { keyLength: intOption('--key-len', keyLength, 1, 32) }),
    ...(hmacKeyLength !== undefined && {
      hmacKeyLength: intOption('--hmac-key-len', hmacKeyLength, 1, 128),
    }),
    ...(hmacDigestType !== undefined && {
      hmacDigestType: digestOption('--hmac-digest-type', hmacDigestType),
    }),
  });
  if (values['save-rc-stanza']) {
    const rc = await loadRc(values, io);
    if (rc === undefined) return EXIT_USAGE;
    const options = spaOptionsFrom(values, rc);
    const host = values.destination ?? rc.server;
    if (host === undefined) throw new UsageError('--save-rc-stanza needs the server: -D host');
    await saveStanza(values, host, options, keys, io);
    return EXIT_OK;
  }
  const file = values['key-gen-file'];
  if (file !== undefined) {
    await writeFile(file, formatKeyGen(keys), { mode: 0o600 });
    io.out(`[+] Wrote Rijndael and HMAC keys to: ${file}\n`);
  } else {
    io.out(formatKeyGen(keys));
  }
  return EXIT_OK;
}

/** `--test`: build the packet, show it, read it back with the same keys, as `fwknop --test`. */
async function testMode(
  request: Parameters<typeof prepareSpa>[0],
  verbose: boolean,
  json: boolean,
  io: CliIo,
): Promise<number> {
  if (json) throw new UsageError('--test prints the packet, not JSON: leave out --json');
  const prepared = await prepareSpa(request).catch(asUsageError);
  const { packet } = prepared;
  if (packet.legacyKeyTruncated) io.err(LEGACY_WARNING);
  io.out(describePacket(packet));
  io.out(describeTransmit(prepared, request.options.transport, request.host));
  io.out('test mode enabled, SPA packet not actually sent.\n');
  const decoded = decodeSpaPacket(packet.wire, request.keys, {
    encryptionMode: packet.encryptionMode,
    hmacDigestType: request.options.hmacDigestType,
  });
  if (verbose) {
    io.out('\nDump of the Decoded Data\n');
    io.out(
      describeFields(decoded.fields, {
        type: decoded.digestType,
        value: decoded.digest,
        encoded: decoded.encoded,
      }),
    );
  }
  return EXIT_OK;
}
