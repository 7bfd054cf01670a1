// `npm run preview`: the window in a normal browser, with the real core behind it.
//
//   npm run preview                       scratch settings, stand-in IP providers on loopback
//   npm run preview -- --dir ~/sesame-lab keep the settings between runs
//   npm run preview -- --providers settings  use the providers the settings name (never the
//                                            public defaults unless the settings have none)
//
// It builds nothing: `npm run preview` runs `build:renderer` first. Prints the address to open
// (with its token); --json prints {"url": …, "dir": …} as one line instead (the UI tests).
// SSH and RDP are never started: the window says which command the tray app would run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/app/core.js';
import { previewLauncher } from '../src/preview/preview-launcher.js';
import { startPreviewServer } from '../src/preview/preview-server.js';
import { SettingsStore } from '../src/store/settings-store.js';
import { hasProgram } from '../test/peers/harness/requirements.js';
import { type PrivateKeyring, startPrivateKeyring } from '../test/helpers/private-keyring.js';
import { startHttpEcho } from '../test/helpers/stand-ins/http-echo.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    providers: { type: 'string', default: 'stand-ins' },
    keyring: { type: 'string', default: 'auto' },
    poll: { type: 'string' },
    quiet: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const staticDir = join(import.meta.dirname, '..', 'out', 'renderer');
if (!existsSync(join(staticDir, 'index.html'))) {
  console.error('The window is not built: run npm run preview (it builds it first).');
  process.exit(1);
}
const say = (line: string): void => {
  if (!values.json) console.log(line);
};
const stops: (() => Promise<void> | void)[] = [];

const given = values.dir ?? process.env.SESAME_CONFIG_DIR;
const dir = given ?? mkdtempSync(join(tmpdir(), 'sesame-preview-'));
if (given === undefined) stops.push(() => rmSync(dir, { recursive: true, force: true }));

// Secrets go to a Secret Service: the session's own, or a private throwaway one.
let keyring: PrivateKeyring | undefined;
const wantPrivate =
  values.keyring === 'private' ||
  (values.keyring === 'auto' && !process.env.DBUS_SESSION_BUS_ADDRESS);
if (wantPrivate && hasProgram('dbus-daemon') && hasProgram('gnome-keyring-daemon')) {
  keyring = await startPrivateKeyring();
  process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS;
  stops.push(() => keyring?.stop());
  say('Secrets: a private, throwaway gnome-keyring (gone when the preview stops).');
} else if (wantPrivate) {
  say(
    'Secrets: no Secret Service here and no dbus-daemon/gnome-keyring to start one: servers ' +
      'are saved, but their sequences cannot be stored (the window says so).',
  );
}

// Never the public providers by default: an echo on loopback answers 127.0.0.1.
if (values.providers === 'stand-ins') {
  const echo = await startHttpEcho({ host: '127.0.0.1', port: 0, format: 'text' });
  stops.push(() => echo.close());
  const settings = SettingsStore.open(dir);
  settings.update((s) => ({
    ...s,
    preferences: {
      ...s.preferences,
      acceptPrivateIp: true,
      ipProviders: [{ kind: 'http', name: 'loopback echo', format: 'text', ipv4: echo.url }],
    },
  }));
  say(`Public IP: a stand-in echo on ${echo.url} (the real providers are never asked).`);
} else if (values.providers !== 'settings') {
  console.error('--providers is "stand-ins" (the default) or "settings"');
  process.exit(2);
}

const core = createCore({
  dir,
  launcher: previewLauncher,
  appInfo: { version: packageVersion(), platform: process.platform },
  watchSettings: true,
  watcher: {
    ...(values.poll !== undefined && { pollMs: Number(values.poll) }),
    ...(values.quiet !== undefined && { quietMs: Number(values.quiet) }),
  },
});
await core.start();
stops.push(() => core.stop());
const server = await startPreviewServer({
  services: core.services,
  staticDir,
  port: Number(values.port),
});
stops.push(() => server.close());

if (values.json) console.log(JSON.stringify({ url: server.url, dir }));
else {
  console.log(`Settings: ${dir}`);
  console.log(`\nOpen ${server.url}\n(Ctrl-C stops the preview.)`);
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const step of stops.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`while stopping: ${(error as Error).message}`);
    }
  }
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

function packageVersion(): string {
  const path = join(import.meta.dirname, '..', 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
