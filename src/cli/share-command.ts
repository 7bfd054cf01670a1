import { fwknopKeysText } from '../formats/fwknop-qr.js';
import { qrTerminal } from '../formats/qr-code.js';
import { shareLink } from '../formats/share-link.js';
import { openContext } from './cli-context.js';
import { readPassphrase } from './cli-input.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const SHARE_HELP = `usage: sesame share NAME [--qr] [--with-secrets --passphrase-file FILE]
       sesame share NAME --fwknop-qr

Prints a sesame://add/… link for one saved server, which "sesame import LINK" and the tray app
add as it is. It holds no sequence and no key unless --with-secrets, and then they are sealed
with your passphrase, as in "sesame export".

  --qr                      print the link as a QR code too (scan it with a phone)
  --with-secrets            include the sequence or keys, sealed with a passphrase
  --passphrase-file FILE    where the passphrase is ("-": stdin); at least 8 characters
  --fwknop-qr               SPA doors: the QR code fwknop's mobile clients read for the keys
                            (KEY_BASE64:… HMAC_KEY_BASE64:…). It holds the keys IN CLEAR: show it
                            only to your own phone, and nowhere anyone else can see or record it.
`;

export async function shareCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    qr: { type: 'boolean' },
    'with-secrets': { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    'fwknop-qr': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(SHARE_HELP);
    return EXIT_OK;
  }
  const [name, extra] = positionals;
  if (name === undefined || extra !== undefined) {
    throw new UsageError('give one server name: sesame share NAME (quote a name with spaces)');
  }
  if (values['fwknop-qr'] && (values.qr || values['with-secrets'])) {
    throw new UsageError(
      '--fwknop-qr prints only the keys QR code: leave out --qr and --with-secrets',
    );
  }
  if (values['passphrase-file'] !== undefined && !values['with-secrets']) {
    throw new UsageError(
      'a passphrase seals secrets: add --with-secrets, or leave the passphrase out',
    );
  }
  const passphrase = values['with-secrets']
    ? readPassphrase(values['passphrase-file'], '--with-secrets seals the secret with a passphrase')
    : undefined;
  const context = openContext(io);
  const server = context.repository.requireServer(name);
  if (values['fwknop-qr']) {
    if (server.method.kind !== 'spa') {
      throw new UsageError(
        `"${server.name}" is a knock door: --fwknop-qr is for SPA doors (fwknop)`,
      );
    }
    const secret = await context.repository.secretOf(server);
    if (secret?.kind !== 'spa') {
      io.err(`sesame: "${server.name}" has no keys in the keychain: nothing to show\n`);
      return EXIT_FAILED;
    }
    io.err(
      `sesame: warning: this QR code holds the keys of "${server.name}" in clear: anyone who sees it can open the door\n`,
    );
    io.out(await qrTerminal(fwknopKeysText(secret)));
    return EXIT_OK;
  }
  const secret = passphrase === undefined ? undefined : await context.repository.secretOf(server);
  if (passphrase !== undefined && secret === undefined) {
    io.err(`sesame: "${server.name}" has no secret in the keychain: nothing to include\n`);
    return EXIT_FAILED;
  }
  const link = await shareLink(server, secret, passphrase).catch((error: unknown) => {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  });
  if (values.qr) io.out(await qrTerminal(link));
  io.out(`${link}\n`);
  return EXIT_OK;
}
