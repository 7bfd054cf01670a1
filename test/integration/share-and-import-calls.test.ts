import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatch } from '../../src/api/dispatch.js';
import { createHandlers, type Handlers } from '../../src/api/handlers.js';
import type { Engine } from '../../src/engine/engine.js';
import { fixedCore } from '../helpers/fixed-core.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { sesameHome } from '../helpers/sesame-home.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';

const fwknoprc = readFileSync(
  new URL('../fixtures/fwknoprc/several.fwknoprc', import.meta.url),
  'utf8',
);
const WEB_KEY = '8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=';
const PASSPHRASE = 'correct horse battery staple';

describeWithPrograms(
  "the window's calls to import, export, share and set up servers",
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let home: ReturnType<typeof sesameHome>;
    let engine: Engine;
    let handlers: Handlers;
    const call = async (name: string, input: unknown) => dispatch(handlers, name, input);
    const value = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
      return result.value as T;
    };
    const idOf = (name: string) => home.repository.find(name)?.id ?? '';

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
      home = sesameHome();
      const core = fixedCore(home);
      engine = core.engine;
      handlers = createHandlers(core);
    });
    afterAll(async () => {
      await engine.stop();
      home.remove();
      await keyring.stop();
    });

    it('previews a ~/.fwknoprc without saving anything or sending a key back', async () => {
      const preview = await call('import.preview', { text: fwknoprc });
      expect(preview).toMatchObject({
        ok: true,
        value: {
          format: 'fwknoprc',
          ready: true,
          secrets: 'none',
          issues: [],
          servers: [
            { source: 'web', name: 'web', method: 'spa', host: 'web.example.com', hasSecret: true },
            { source: 'db', name: 'db', host: '203.0.113.7' },
            { source: 'desktop', name: 'desktop', host: 'office.example.com' },
          ],
        },
      });
      expect(JSON.stringify(preview)).not.toContain(WEB_KEY);
      expect(home.repository.list()).toEqual([]);
    });

    it('applies the chosen servers, all together, with their keys in the keychain', async () => {
      const result = await value<{ servers: { name: string }[] }>('import.apply', {
        text: fwknoprc,
        only: ['web', 'db'],
      });
      expect(result.servers.map((server) => server.name)).toEqual(['web', 'db']);
      expect(JSON.stringify(result)).not.toContain(WEB_KEY);
      const web = home.repository.find('web');
      expect(web && (await home.repository.secretOf(web))).toMatchObject({
        encryptionKeyBase64: WEB_KEY,
      });
      expect(home.log.recent().map((event) => event.message)).toEqual([
        'imported web',
        'imported db',
      ]);
    });

    it('refuses to apply what the preview would refuse, and saves none of it', async () => {
      const result = await call('import.apply', { text: fwknoprc });
      expect(result).toEqual({
        ok: false,
        error: {
          kind: 'invalid-input',
          message:
            'nothing was imported: [web] (line 7): a server named "web" already exists: rename it there first, or import with renaming (it would be saved as "web (2)"); [db] (line 13): a server named "db" already exists: rename it there first, or import with renaming (it would be saved as "db (2)")',
        },
      });
      expect(home.repository.list().map((server) => server.name)).toEqual(['web', 'db']);
    });

    it('exports with secrets sealed, and imports them back only with the passphrase', async () => {
      const ids = [idOf('web'), idOf('db')];
      expect(await call('export.servers', { ids, withSecrets: true })).toEqual({
        ok: false,
        error: {
          kind: 'invalid-input',
          message: 'passphrase: secrets are exported only sealed with a passphrase: give one',
        },
      });
      const exported = await value<{ text: string; fileName: string; secretsIncluded: boolean }>(
        'export.servers',
        { ids, withSecrets: true, passphrase: PASSPHRASE },
      );
      expect(exported.secretsIncluded).toBe(true);
      expect(exported.fileName).toMatch(/^sesame-\d{4}-\d\d-\d\d\.json$/);
      expect(exported.text).not.toContain(WEB_KEY);
      const wrong = await value<{ secrets: string; ready: boolean; issues: unknown[] }>(
        'import.preview',
        { text: exported.text, passphrase: 'not the passphrase' },
      );
      expect(wrong).toMatchObject({
        secrets: 'locked',
        ready: false,
        issues: [
          {
            severity: 'error',
            message:
              'the passphrase is wrong: nothing was imported (try again; it is the one given at export)',
          },
        ],
      });
      const renamed = await value<{ servers: { name: string }[] }>('import.apply', {
        text: exported.text,
        passphrase: PASSPHRASE,
        onClash: 'rename',
      });
      expect(renamed.servers.map((server) => server.name)).toEqual(['web (2)', 'db (2)']);
      const copy = home.repository.find('web (2)');
      expect(copy && (await home.repository.secretOf(copy))).toMatchObject({
        encryptionKeyBase64: WEB_KEY,
      });
    });

    it('gives a share link with its QR code, and the key QR code only when confirmed', async () => {
      const id = idOf('web');
      const shared = await value<{ link: string; qrSvg: string }>('share.link', { id });
      expect(shared.link).toMatch(/^sesame:\/\/add\/[A-Za-z0-9_-]+$/);
      expect(shared.qrSvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(shared.qrSvg).not.toMatch(/<script|href=/);
      expect(await call('share.link', { id, withSecrets: true })).toMatchObject({
        ok: false,
        error: { kind: 'invalid-input' },
      });
      expect(await call('share.fwknopQr', { id })).toEqual({
        ok: false,
        error: {
          kind: 'invalid-input',
          message: 'keysInClear: this QR code shows the keys in clear: confirm it',
        },
      });
      const keys = await value<{ qrSvg: string }>('share.fwknopQr', { id, keysInClear: true });
      expect(keys.qrSvg).toMatch(/^<svg/);
    });

    it('generates the server setup, with the keys only when asked', async () => {
      const id = idOf('web');
      const hidden = await value<{ blocks: { id: string; text: string; secret: boolean }[] }>(
        'setup.generate',
        { id, withSecrets: false },
      );
      expect(hidden.blocks.map((block) => [block.id, block.secret])).toEqual([
        ['fwknopd-access', false],
        ['spa-iptables', false],
      ]);
      expect(JSON.stringify(hidden)).not.toContain(WEB_KEY);
      const shown = await value<{ blocks: { text: string }[] }>('setup.generate', {
        id,
        withSecrets: true,
      });
      expect(shown.blocks[0]?.text).toContain(WEB_KEY);
      expect(
        await call('setup.generate', { id, withSecrets: true, firewall: 'nftables' }),
      ).toMatchObject({
        ok: false,
        error: {
          kind: 'invalid-input',
          message: expect.stringContaining('fwknopd adds its rules with iptables') as unknown,
        },
      });
    });

    it.each([
      [
        'import.preview',
        { text: 'x'.repeat(1024 * 1024 + 1) },
        'text: the file is larger than 1 MiB: that is no file Sesame reads',
      ],
      ['import.preview', { text: '', extra: true }, 'Unrecognized key: "extra"'],
      [
        'import.preview',
        { text: '', format: 'yaml' },
        'format: Invalid option: expected one of "auto"|"knockd"|"fwknoprc"|"sesame"',
      ],
      ['export.servers', { ids: [], withSecrets: false }, 'ids: choose at least one server'],
      [
        'export.servers',
        { ids: ['x'], withSecrets: true, passphrase: 'short' },
        'passphrase: the passphrase needs at least 8 characters',
      ],
      [
        'setup.generate',
        { id: 'x' },
        'withSecrets: Invalid input: expected boolean, received undefined',
      ],
    ])('refuses %s %j', async (name, input, message) => {
      expect(await call(name, input)).toEqual({
        ok: false,
        error: { kind: 'invalid-input', message },
      });
    });
  },
);
