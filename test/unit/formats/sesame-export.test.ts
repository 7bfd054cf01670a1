import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePlanProblems, planImport } from '../../../src/formats/import-plan.js';
import {
  buildExport,
  canonicalJson,
  ExportFormatError,
  formatExport,
  openExport,
  readExport,
} from '../../../src/formats/sesame-export.js';
import {
  linkPayload,
  shareLink,
  ShareLinkError,
  withoutDefaults,
} from '../../../src/formats/share-link.js';
import { serverProfileSchema } from '../../../src/servers/server-profile.js';
import type { ServerSecret } from '../../../src/servers/server-secret.js';

const knock = serverProfileSchema.parse({
  id: '0b0f8c3e-4c55-4f0e-9a43-0c5d8f1e2a11',
  name: 'office',
  host: 'office.example.com',
  method: { kind: 'knock', seqTimeoutSeconds: 10 },
  checkPort: 22,
  ssh: { user: 'me' },
  tags: ['work'],
});
const spa = serverProfileSchema.parse({
  id: '6a4d2d53-3f4c-4a77-9d0b-1f3c4e5d6a7b',
  name: 'db',
  host: '203.0.113.7',
  method: { kind: 'spa', access: [{ protocol: 'tcp', port: 22 }], allowIp: { mode: 'source' } },
  checkPort: 22,
});
const knockSecret: ServerSecret = { kind: 'knock', sequence: '31877,12034:udp,48211' };
const spaSecret: ServerSecret = {
  kind: 'spa',
  encryptionKeyBase64: '8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=',
  hmacKeyBase64:
    'P+IdohJrPyYvPWo72vGN4TFic1Y8S0ZuYxMuxJuFAhpKt4DKEu5Pj991qurqQe7JOpzVgs9MMGkKukB7EvceWw==',
};
const PASSPHRASE = 'correct horse battery staple';
/** The cheapest cost an import accepts, so these tests stay quick; one test checks the default. */
const kdf = { N: 2 ** 15, r: 8, p: 1 };
const entries = [
  { profile: knock, secret: knockSecret },
  { profile: spa, secret: spaSecret },
];
const withoutId = ({ id: _id, ...rest }: { id: string }) => rest;

describe('the Sesame export', { timeout: 30_000 }, () => {
  it('without secrets is plain JSON of the profiles, and imports back to the same servers', async () => {
    const text = formatExport(await buildExport(entries, { exportedAt: '2026-01-02T03:04:05Z' }));
    expect(text).not.toContain('31877');
    expect(text).not.toContain(spaSecret.encryptionKeyBase64);
    expect(JSON.parse(text)).toMatchObject({
      format: 'sesame-export',
      version: 1,
      exportedAt: '2026-01-02T03:04:05Z',
    });
    const plan = await planImport(text, {}, []);
    expect(plan).toMatchObject({ format: 'sesame', secrets: 'none', ready: true });
    expect(plan.servers.map((server) => server.draft)).toEqual([withoutId(knock), withoutId(spa)]);
    expect(plan.servers.map((server) => server.hasSecret)).toEqual([false, false]);
    expect(plan.servers[0]?.warnings).toEqual([
      'the export holds no secret: enter the sequence or keys after importing',
    ]);
  });

  it('with secrets seals them with the passphrase, and opens them again with it', async () => {
    const text = formatExport(await buildExport(entries, { passphrase: PASSPHRASE }));
    expect(text).not.toContain('31877');
    expect(text).not.toContain(spaSecret.encryptionKeyBase64);
    const document = JSON.parse(text) as { secrets: Record<string, Record<string, unknown>> };
    expect(document.secrets.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(document.secrets.cipher).toMatchObject({ name: 'aes-256-gcm' });
    const plan = await planImport(text, { passphrase: PASSPHRASE }, []);
    expect(plan).toMatchObject({ secrets: 'opened', ready: true, issues: [] });
    expect(plan.servers.map((server) => server.secret)).toEqual([knockSecret, spaSecret]);
  });

  it('refuses a wrong passphrase, or none, and imports nothing', async () => {
    const text = formatExport(await buildExport(entries, { passphrase: PASSPHRASE, kdf }));
    const wrong = await planImport(text, { passphrase: 'correct horse battery stable' }, []);
    expect(wrong).toMatchObject({ secrets: 'locked', ready: false });
    expect(describePlanProblems(wrong)).toEqual([
      'the passphrase is wrong: nothing was imported (try again; it is the one given at export)',
    ]);
    const none = await planImport(text, {}, []);
    expect(none).toMatchObject({ secrets: 'locked', ready: false });
    expect(describePlanProblems(none)).toEqual([
      'this export holds secrets sealed with a passphrase: give the passphrase to import it',
    ]);
    // The window can still show what the file holds.
    expect(none.servers.map((server) => server.name)).toEqual(['office', 'db']);
  });

  it('refuses a file changed after export, in its profiles or in its sealed data', async () => {
    const text = formatExport(await buildExport(entries, { passphrase: PASSPHRASE, kdf }));
    interface Doc {
      servers: Record<string, unknown>[];
      secrets: { data: string };
      exportedAt?: string;
    }
    const tamper = async (change: (document: Doc) => void) => {
      const document = JSON.parse(text) as Doc;
      change(document);
      return describePlanProblems(
        await planImport(JSON.stringify(document), { passphrase: PASSPHRASE }, []),
      );
    };
    const changed = [
      'the file was changed after it was exported (its contents no longer match its seal): nothing was imported',
    ];
    expect(await tamper((d) => ((d.servers[0] ?? {}).host = 'evil.example.com'))).toEqual(changed);
    expect(await tamper((d) => ((d.servers[1] ?? {}).checkPort = 2222))).toEqual(changed);
    expect(await tamper((d) => d.servers.reverse())).toEqual(changed);
    expect(
      await tamper((d) => {
        const data = Buffer.from(d.secrets.data, 'base64');
        data[0] = (data[0] ?? 0) ^ 1;
        d.secrets.data = data.toString('base64');
      }),
    ).toEqual(changed);
    expect(await tamper((d) => (d.exportedAt = 'yesterday'))).toEqual(changed);
    // Reformatting the JSON is no change.
    expect(
      describePlanProblems(
        await planImport(JSON.stringify(JSON.parse(text)), { passphrase: PASSPHRASE }, []),
      ),
    ).toEqual([]);
  });

  it.each([
    ['not json', 'this is not a Sesame export: it is not JSON (Unexpected token'],
    [
      '{"format":"other","version":1,"servers":[{}]}',
      'this is not a valid Sesame export: format: this is not a Sesame export (format)',
    ],
    [
      '{"format":"sesame-export","version":1,"servers":[]}',
      'this is not a valid Sesame export: servers: the export holds no server',
    ],
    [
      '{"format":"sesame-export","version":2,"servers":[{}]}',
      'this export is version 2, from a newer Sesame: update Sesame to import it',
    ],
    [
      '{"format":"sesame-export","version":1,"servers":[{}],"extra":1}',
      'this is not a valid Sesame export: Unrecognized key: "extra"',
    ],
  ])('refuses %s with a clear message', async (text, message) => {
    const plan = await planImport(text, { format: 'sesame' }, []);
    expect(plan.ready).toBe(false);
    expect(describePlanProblems(plan)[0]).toContain(message);
  });

  it('checks each server with the server schema, by name', async () => {
    const text = JSON.stringify({
      format: 'sesame-export',
      version: 1,
      servers: [{ name: 'x', host: '$(reboot)', method: { kind: 'knock' } }],
    });
    expect(describePlanProblems(await planImport(text, {}, []))).toEqual([
      '"x": host: "$(reboot)" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ]);
  });

  it('refuses to seal with a short passphrase', async () => {
    await expect(buildExport(entries, { passphrase: 'short' })).rejects.toThrow(
      'the passphrase is too short: use at least 8 characters (a few random words are best)',
    );
  });

  it('opens what it sealed even after the secrets JSON is reordered canonically', async () => {
    const document = await buildExport(entries, { passphrase: PASSPHRASE, kdf });
    const opened = await openExport(canonicalJson(document), PASSPHRASE);
    expect(opened.secrets).toEqual([knockSecret, spaSecret]);
  });
});

describe('share links', { timeout: 30_000 }, () => {
  it('carry one server without its secret by default, compactly', async () => {
    const link = await shareLink(spa, spaSecret);
    expect(link).toMatch(/^sesame:\/\/add\/[A-Za-z0-9_-]+$/);
    expect(linkPayload(link)).not.toContain('Fwknop/2.6.10');
    expect(linkPayload(link)).not.toContain(spaSecret.encryptionKeyBase64);
    const plan = await planImport(link, {}, []);
    expect(plan).toMatchObject({ format: 'sesame', ready: true, secrets: 'none' });
    expect(plan.servers[0]?.draft).toEqual(withoutDefaults(withoutId(spa)));
    expect(serverProfileSchema.parse({ ...plan.servers[0]?.draft, id: spa.id })).toEqual(spa);
  });

  it('carry the secret sealed with a passphrase when asked', async () => {
    const link = await shareLink(knock, knockSecret, PASSPHRASE);
    expect(linkPayload(link)).not.toContain('31877');
    const plan = await planImport(link, { passphrase: PASSPHRASE }, []);
    expect(plan).toMatchObject({ ready: true, secrets: 'opened' });
    expect(plan.servers[0]?.secret).toEqual(knockSecret);
    expect(serverProfileSchema.parse({ ...plan.servers[0]?.draft, id: knock.id })).toEqual(knock);
  });

  it('refuse a damaged link with what to check', async () => {
    const link = await shareLink(knock, undefined);
    expect(
      describePlanProblems(await planImport(`${link.slice(0, 40)} ${link.slice(40)}`, {}, [])),
    ).toEqual([
      'this link is damaged: after sesame://add/ come only letters, digits, "-" and "_" (was it cut or wrapped?)',
    ]);
    expect(describePlanProblems(await planImport(link.slice(0, 60), {}, []))[0]).toMatch(
      /^this is not a Sesame export: it is not JSON/,
    );
  });
});

describe('the readers of exports and links', () => {
  it('throw nothing but their own clear errors, whatever the text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record({
          format: fc.constant('sesame-export'),
          version: fc.jsonValue(),
          servers: fc.jsonValue(),
          secrets: fc.jsonValue(),
        })
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(text, (body) => {
        try {
          readExport(body);
        } catch (error) {
          expect(error).toBeInstanceOf(ExportFormatError);
        }
        try {
          linkPayload(`sesame://add/${body}`);
        } catch (error) {
          expect(error).toBeInstanceOf(ShareLinkError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
