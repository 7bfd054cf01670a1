import { fileURLToPath } from 'node:url';
import type { ProviderSpec } from '../../../src/net/public-ip/provider-spec.js';
import { SettingsStore } from '../../../src/store/settings-store.js';
import type { Cleanup } from './cleanup.js';
import { startTsLineProcess } from './line-process.js';
import type { Lab } from './netns.js';
import { waitFor } from './run.js';

const STAND_INS = fileURLToPath(
  new URL('../../helpers/stand-ins/stand-in-main.ts', import.meta.url),
);

/**
 * The server namespace plays the internet: stand-in IP providers there echo the asker's address,
 * so the client namespace's address is its "public IP" and really changes when a test moves it.
 * They become the only providers in the settings folder `settingsDir`, with `acceptPrivateIp`
 * (the lab's addresses are private); resolves with them.
 */
export async function startStandInProviders(
  lab: Lab,
  cleanup: Cleanup,
  settingsDir: string,
  options: { dns?: boolean } = {},
): Promise<ProviderSpec[]> {
  const standIns = startTsLineProcess(lab.server, cleanup, [
    STAND_INS,
    '--host',
    lab.serverIp,
    '--http',
    '0',
    ...(options.dns ? ['--dns', '0'] : []),
  ]);
  const ports = (await waitFor(
    'the stand-ins',
    () => standIns.lines.find((l) => 'http' in l),
    20_000,
  )) as { http: number; dns?: number };
  const providers: ProviderSpec[] = [
    { kind: 'http', name: 'echo', format: 'text', ipv4: `http://${lab.serverIp}:${ports.http}/` },
  ];
  if (ports.dns !== undefined) {
    providers.push({
      kind: 'dns',
      name: 'dns-echo',
      ipv4: {
        server: `${lab.serverIp}:${ports.dns}`,
        name: 'myip.opendns.com',
        type: 'A',
        class: 'IN',
      },
    });
  }
  SettingsStore.open(settingsDir).update((settings) => ({
    ...settings,
    preferences: { ...settings.preferences, acceptPrivateIp: true, ipProviders: providers },
  }));
  return providers;
}
