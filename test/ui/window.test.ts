import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from '../peers/harness/cleanup.js';
import { guardPort } from '../peers/harness/firewall.js';
import { type Knockd, startKnockd } from '../peers/harness/knockd.js';
import { startTsLineProcess } from '../peers/harness/line-process.js';
import { createLab, type Lab } from '../peers/harness/netns.js';
import { describePeers } from '../peers/harness/requirements.js';
import { mustRun, waitFor } from '../peers/harness/run.js';
import { startStandInProviders } from '../peers/harness/stand-in-internet.js';
import { startTcpService } from '../peers/harness/tcp-service.js';
import { seriousA11yViolations, startChromium } from './browser.js';
import { LAB_KNOCKD_DOOR } from '../peers/harness/lab-doors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PREVIEW = join(ROOT, 'scripts/preview.ts');
const SHOTS = join(ROOT, 'docs/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type Invoke = (name: string, input: unknown) => Promise<unknown>;
const PROGRAMS = [
  'ip',
  'iptables-nft',
  'ipset',
  'knockd',
  'dbus-daemon',
  'gnome-keyring-daemon',
  'chromium',
];

describePeers('the window in Chromium, with the real core and a real knockd', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let knockd: Knockd;
  let keyring: PrivateKeyring;
  let browser: BrowserContext;
  let page: Page;
  let address = '';
  const cspErrors: string[] = [];

  const row = (name: string): Locator => page.locator(`li[data-server="${name}"]`);
  const badge = (name: string, state: string): Locator =>
    row(name).locator(`.badge[data-state="${state}"]`);
  /** A call through the page's own window.sesame (the bridge), for setting up quickly. */
  const invoke = (name: string, input: unknown) =>
    page.evaluate(
      ([call, payload]) => {
        const api = (globalThis as unknown as { sesame: { invoke: Invoke } }).sesame;
        return api.invoke(call, payload);
      },
      [name, input] as const,
    );
  async function shoot(
    name: string,
    height = 760,
    {
      width = 1200,
      schemes = ['light', 'dark'],
    }: { width?: number; schemes?: readonly ('light' | 'dark')[] } = {},
  ): Promise<void> {
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss message' }).all()) {
      await dismiss.click();
    }
    await page.setViewportSize({ width, height });
    await page.evaluate('window.scrollTo(0, 0)');
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1200, height: 760 });
  }
  async function expectAccessible(): Promise<void> {
    expect(await seriousA11yViolations(page, AXE)).toEqual([]);
  }

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'sesame-ui-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    mkdirSync(SHOTS, { recursive: true });
    keyring = await startPrivateKeyring();
    cleanup.add(() => keyring.stop());
    lab = await createLab(cleanup);
    address = lab.clientIp;
    await lab.client.mustRun('sysctl', [
      '-qw',
      `net.ipv4.conf.${lab.clientIf}.promote_secondaries=1`,
    ]);
    await startTcpService(lab.server, cleanup, 22);
    await guardPort(lab.server, { port: 22, dropTcpPorts: [7000, 8000, 9000] });
    knockd = await startKnockd(lab, cleanup, work, [LAB_KNOCKD_DOOR]);
    const dir = join(work, 'sesame');
    await startStandInProviders(lab, cleanup, dir);
    const preview = startTsLineProcess(
      lab.client,
      cleanup,
      [
        PREVIEW,
        '--dir',
        dir,
        '--providers',
        'settings',
        '--json',
        '--poll',
        '200',
        '--quiet',
        '500',
      ],
      { PATH: process.env.PATH, ...keyring.env },
    );
    const ready = (await waitFor(
      'the preview bridge',
      () => preview.lines.find((l) => 'url' in l || l.event === 'exit'),
      30_000,
    )) as { url?: string };
    expect(ready.url, preview.stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    browser = await startChromium(lab.client, work);
    cleanup.add(() => browser.close());
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    await page.goto(ready.url ?? '');
  });
  afterAll(() => cleanup.run());

  it('starts empty, saying what to do first', async () => {
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await expectAccessible();
  });

  it('adds a server through the form, with the schema checking as it is typed', async () => {
    await page.getByRole('button', { name: 'Add your first server' }).click();
    const save = page.getByRole('button', { name: 'Add server', exact: true });
    expect(await save.isDisabled()).toBe(true);
    await page.getByLabel('Name', { exact: true }).fill('door');
    await page.getByLabel('Host', { exact: true }).fill('not a host!');
    await page.getByLabel('Host', { exact: true }).blur();
    await page.getByText('is not a host name or an IP address').waitFor();
    await page.getByLabel('Host', { exact: true }).fill(lab.serverIp);
    await page.getByLabel('Or paste a sequence').fill('7000,8000,9000');
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    expect(await page.getByLabel('Hit 3 port').inputValue()).toBe('9000');
    await page.getByLabel('Delay between hits (ms)').fill('400');
    await page.getByLabel('knockd seq_timeout (s)').fill('5');
    await page.getByLabel('Knock when Sesame starts').uncheck();
    expect(await save.isEnabled()).toBe(true);
    await save.click();
    await badge('door', 'idle').waitFor();
    await row('door').getByText('Never knocked').waitFor();
  });

  it('knocks: the badge goes knocking, then open, and knockd opened the door', async () => {
    await page.getByRole('button', { name: 'Knock on door' }).click();
    await badge('door', 'knocking').waitFor();
    await badge('door', 'open').waitFor({ timeout: 20_000 });
    expect(knockd.opened(lab.clientIp, 'door')).toBe(1);
    await row('door').getByText(`from ${lab.clientIp}`).waitFor();
  });

  it('shows why a server failed, on hover and on keyboard focus', async () => {
    await invoke('servers.add', {
      draft: {
        name: 'nowhere',
        host: 'nowhere.sesame.test',
        // A short seq_timeout keeps the retries quick.
        method: { kind: 'knock', seqTimeoutSeconds: 1 },
        checkPort: 22,
        auto: { onIpChange: false },
      },
      secret: { kind: 'knock', sequence: '7100,7200,7300' },
    });
    await page.getByRole('button', { name: 'Knock on nowhere' }).click();
    const failed = badge('nowhere', 'error');
    await failed.waitFor({ timeout: 30_000 });
    await failed.focus();
    const tip = row('nowhere').getByRole('tooltip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toMatch(/nowhere\.sesame\.test/);
    const described = await failed.getAttribute('aria-describedby');
    expect(described).toBe(await tip.getAttribute('id'));
  });

  it('shows servers in every state, in light and dark, without serious accessibility faults', async () => {
    for (const [name, sequence] of [
      ['unconfirmed', '7400,7500,7600'],
      ['backup', '7700,7800,7900'],
    ] as const) {
      await invoke('servers.add', {
        draft: { name, host: lab.serverIp, method: { kind: 'knock' }, auto: { onIpChange: false } },
        secret: { kind: 'knock', sequence },
      });
    }
    await invoke('servers.add', {
      draft: {
        name: 'gateway',
        host: lab.serverIp,
        method: { kind: 'spa', access: [{ protocol: 'tcp', port: 3389 }] },
        rdp: { port: 3389 },
        auto: { onIpChange: false },
      },
      secret: {
        kind: 'spa',
        encryptionKeyBase64: Buffer.alloc(32, 7).toString('base64'),
        hmacKeyBase64: Buffer.alloc(64, 9).toString('base64'),
      },
    });
    await row('gateway').getByText('SPA', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Knock on unconfirmed' }).click();
    await badge('unconfirmed', 'knocked').waitFor();
    await page.mouse.move(0, 0);
    await page.locator('body').focus();
    await shoot('servers');
    await expectAccessible();
  });

  it('holds its layout at the smallest size the window can have', async () => {
    // The window's minimum size (WINDOW_MIN_SIZE): the sections become a rail of icons, which
    // keep their names for assistive technology, and a server's actions go under its name.
    const pageWidth = async () =>
      Number(await page.evaluate('document.documentElement.scrollWidth'));
    const nav = page.getByRole('navigation', { name: 'Sections' });
    // The size it opens at (WINDOW_SIZE): nothing sticks out sideways.
    await page.setViewportSize({ width: 1000, height: 720 });
    expect(await pageWidth()).toBeLessThanOrEqual(1000);
    await page.setViewportSize({ width: 720, height: 520 });
    const servers = await nav.getByRole('button', { name: 'Servers' }).boundingBox();
    expect(servers?.width).toBeLessThan(60);
    expect(await pageWidth()).toBeLessThanOrEqual(720);
    await expectAccessible();
    await page.setViewportSize({ width: 1200, height: 760 });
    await shoot('servers-narrow', 520, { width: 720, schemes: ['light'] });
  });

  it('shows the schema messages in the edit form', async () => {
    await page.getByRole('button', { name: 'Edit backup' }).click();
    await page.getByRole('button', { name: 'Enter a new sequence' }).click();
    await page.getByLabel('Or paste a sequence').fill('20,80:udp,443');
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await page.getByLabel('Host', { exact: true }).fill('backup .example');
    await page.getByLabel('Check port').fill('70000');
    await page.getByLabel('SSH user').fill('-oProxyCommand');
    await page.getByRole('button', { name: 'Show what is missing' }).click();
    await page.getByText('a port is a number from 1 to 65535').first().waitFor();
    await page.locator('[data-advice="scanner-order"]').waitFor();
    await page.locator('[data-advice="udp-hit"]').waitFor();
    expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    await shoot('form-errors', 1780);
    await expectAccessible();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('re-knocks by itself when the public IP changes, and the row shows the new address', async () => {
    const next = '10.200.0.11';
    const ip = (...args: string[]) => mustRun('ip', ['-n', lab.client.name, ...args]);
    await ip('addr', 'add', `${next}/24`, 'dev', lab.clientIf);
    await ip('addr', 'del', `${address}/24`, 'dev', lab.clientIf);
    address = next;
    await row('door').getByText(`from ${next}`).waitFor({ timeout: 30_000 });
    await badge('door', 'open').waitFor({ timeout: 20_000 });
    await row('door').getByText('after an IP change').waitFor();
    expect(knockd.opened(next, 'door')).toBe(1);
  });

  it('shows the network and the log', async () => {
    await page.getByRole('button', { name: 'Network' }).click();
    await page.getByText('10.200.0.11').first().waitFor();
    await page.getByRole('cell', { name: 'echo' }).first().waitFor();
    await shoot('network');
    await expectAccessible();
    await page.getByRole('button', { name: 'Log' }).click();
    await page.getByText('public IPv4 changed from 10.200.0.1 to 10.200.0.11').waitFor();
    await shoot('log');
    await expectAccessible();
    await page.getByLabel('Kind').selectOption('door-open');
    await expect.poll(() => page.locator('.log-line').count()).toBeGreaterThan(0);
    for (const kind of await page.locator('.log-kind').allTextContents())
      expect(kind).toBe('Door open');
    await page.getByRole('button', { name: 'Servers' }).click();
  });

  it('imports doors from a pasted knockd.conf: host, choice, rename on a clash, all at once', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import servers' }).waitFor();
    await page
      .getByLabel('Or paste its text')
      .fill(
        [
          '[options]',
          '\tUseSyslog',
          '',
          '[openSSH]',
          '\tsequence    = 7000,8000,9000',
          '\tseq_timeout = 5',
          '\tcommand     = /sbin/iptables -A INPUT -s %IP% -p tcp --dport 22 -j ACCEPT',
          '\ttcpflags    = syn',
          '',
          '[closeSSH]',
          '\tsequence    = 9000,8000,7000',
          '\tseq_timeout = 5',
          '\tcommand     = /sbin/iptables -D INPUT -s %IP% -p tcp --dport 22 -j ACCEPT',
          '\ttcpflags    = syn',
          '',
          '[door]',
          '\tsequence    = 7000,8000,9000',
          '\tcommand     = ipset add -exist whitelist %IP%',
          '',
          '[otp]',
          '\tone_time_sequences = /etc/knockd/otp_sequences',
          '\tcommand     = /sbin/iptables -A INPUT -s %IP% -p tcp --dport 22 -j ACCEPT',
          '\ttcpflags    = syn',
          '',
        ].join('\n'),
      );
    const found = page.getByRole('list', { name: 'Servers in the file' });
    await found.getByText('knockd.conf does not say which host').first().waitFor();
    await page.getByLabel('Host', { exact: true }).fill(lab.serverIp);
    await found
      .getByText(/name.*door.*taken|already/i)
      .first()
      .waitFor();
    await page.getByLabel('closeSSH').uncheck();
    await page.getByLabel('When a name is already taken, import it as “name (2)”').check();
    // The one_time_sequences door takes its list, copied from the server, in its own entry;
    // the core reads it (the door then comes with its sequences). It is left out after all.
    await found.getByText('give the contents of that file').waitFor();
    await found
      .getByLabel('One-time sequences of otp', { exact: true })
      .fill('# from /etc/knockd/otp_sequences\n7100,8100,9100\n7200,8200,9200\n');
    await found.getByText('with its one-time sequences').waitFor();
    expect(await found.getByText('give the contents of that file').count()).toBe(0);
    await expect
      .poll(() => page.getByRole('button', { name: 'Import 3 servers' }).isEnabled())
      .toBe(true);
    await shoot('import', 1400);
    await expectAccessible();
    await page.getByLabel('otp', { exact: true }).uncheck();
    const apply = page.getByRole('button', { name: 'Import 2 servers' });
    await found.getByText('door (2)', { exact: true }).waitFor();
    await expect.poll(() => apply.isEnabled()).toBe(true);
    await apply.click();
    await row('openSSH').waitFor();
    await row('door (2)').waitFor();
    expect(await row('closeSSH').count()).toBe(0);
  });

  it('shares a server as a link with its QR code, and fwknop keys only after confirming', async () => {
    await page.getByRole('button', { name: 'More for openSSH' }).click();
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    await page.getByRole('heading', { name: 'Share openSSH' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code of the link to openSSH' });
    await qr.waitFor();
    expect(
      await qr.evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.getByLabel('Share link').inputValue()).toMatch(/^sesame:\/\/add\//);
    await shoot('share');
    await expectAccessible();
    await page.getByRole('button', { name: 'Back to servers' }).click();

    await page.getByRole('button', { name: 'More for gateway' }).click();
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    await page.getByRole('button', { name: 'Show the keys as a QR code…' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Show the keys in clear?' });
    await ask.waitFor();
    await expectAccessible();
    await ask.getByRole('button', { name: 'Show the keys' }).click();
    await page.getByRole('img', { name: 'QR code of the fwknop keys of gateway' }).waitFor();
    await page.getByRole('button', { name: 'Back to servers' }).click();
  });

  it('writes the server setup with placeholders, and the sequence only when asked', async () => {
    await page.getByRole('button', { name: 'More for openSSH' }).click();
    await page.getByRole('menuitem', { name: 'Server setup…' }).click();
    await page.getByRole('heading', { name: 'Server setup for openSSH' }).waitFor();
    await page.getByLabel('Forward to a machine on the LAN (NAT)').check();
    await page.getByLabel('LAN machine (IPv4)').fill('192.168.1.20');
    const steps = page.getByRole('list', { name: 'Setup steps' });
    await steps.getByText('192.168.1.20:3389').first().waitFor();
    expect(await steps.textContent()).not.toContain('7000');
    await page.getByLabel('LAN machine (IPv4)').blur();
    await shoot('setup', 1500);
    await expectAccessible();
    await page.getByRole('button', { name: 'Show the sequence' }).click();
    await steps
      .getByText(/7000,8000,9000/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Hide the sequence' }).click();
    await expect
      .poll(
        async () => (await steps.count()) === 0 || !(await steps.textContent())?.includes('7000'),
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Back to servers' }).click();
  });

  it('exports the servers to a file through a download', async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export servers' });
    await dialog.getByLabel('Include sequences and keys, sealed with a passphrase').check();
    await dialog.getByLabel('Passphrase', { exact: true }).fill('short');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await dialog.getByText('the passphrase needs at least 8 characters').waitFor();
    await shoot('export');
    await expectAccessible();
    await dialog.getByLabel('Include sequences and keys, sealed with a passphrase').uncheck();
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^sesame-\d{4}-\d\d-\d\d\.json$/);
    const text = readFileSync(await file.path(), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'sesame-export' });
    expect(text).not.toContain('7000');
  });

  it('keeps no sequence or key in the page once the screens that showed one are closed', async () => {
    // Everything secret this session typed, pasted or asked to see. (The answers and events the
    // page receives are scanned in the contract's own tests; here, what the page kept.)
    const secrets = [
      '7000,8000,9000',
      '9000,8000,7000',
      '7100,7200,7300',
      '7100,8100,9100',
      '7200,8200,9200',
      Buffer.alloc(32, 7).toString('base64'),
      Buffer.alloc(64, 9).toString('base64'),
    ];
    // A string: this file is type-checked without the DOM's types.
    const kept = String(
      await page.evaluate(`(() => {
        const stored = (storage) =>
          Array.from({ length: storage.length }, (_, i) => storage.key(i))
            .map((key) => key + '=' + storage.getItem(key))
            .join('\\n');
        const fields = Array.from(document.querySelectorAll('input, textarea'))
          .map((field) => field.value)
          .join('\\n');
        return [document.documentElement.outerHTML, fields, stored(localStorage), stored(sessionStorage)].join('\\n');
      })()`),
    );
    expect(kept).toContain('openSSH'); // the scan sees the page
    for (const secret of secrets) expect(kept).not.toContain(secret);
  });

  it('deletes a server after asking', async () => {
    await page.getByRole('button', { name: 'Delete nowhere' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete nowhere?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await row('nowhere').waitFor({ state: 'detached' });
    expect(await row('door').count()).toBe(1);
    expect(cspErrors).toEqual([]);
  });
});
