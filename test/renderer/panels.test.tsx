import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { preferencesSchema } from '../../src/store/settings-schema.js';
import { LogView } from '../../renderer/src/log/log-view.js';
import { NetworkView } from '../../renderer/src/network/network-view.js';
import { SettingsView } from '../../renderer/src/settings/settings-view.js';
import { fakeApi, renderWithCore, serverView } from './fake-core.js';

afterEach(cleanup);

describe('the network panel', () => {
  it('shows both addresses, who answered, and the auto re-knock switch', async () => {
    const network = {
      ipv4: { address: '198.51.100.4', since: Date.now() - 300_000, provider: 'ipify' },
      ipv6: {},
      checkedAt: Date.now(),
      checking: false,
      reports: [
        { provider: 'ipify', family: 4 as const, ok: true, detail: '198.51.100.4' },
        { provider: 'icanhazip', family: 6 as const, ok: false, detail: 'timeout after 3 s' },
      ],
      autoReknock: true,
    };
    const core = fakeApi({
      'network.state': () => network,
      'settings.update': () => preferencesSchema.parse({}),
    });
    await renderWithCore(<NetworkView />, core.api);
    expect(screen.getByText('198.51.100.4', { selector: '.address' })).toBeTruthy();
    expect(screen.getByText('5 min ago')).toBeTruthy();
    expect(screen.getByText('timeout after 3 s')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Knock again by itself when my public IP changes'));
    expect(core.callsOf('settings.update')).toEqual([{ patch: { autoReknock: false } }]);
    act(() =>
      core.emit('network', { ...network, ipv4: { address: '203.0.113.9', since: Date.now() } }),
    );
    expect(screen.getByText('203.0.113.9', { selector: '.address' })).toBeTruthy();
  });
});

describe('the log', () => {
  it('filters by server and kind, newest first, and follows new events', async () => {
    const office = serverView('office');
    const at = Date.now();
    const core = fakeApi({
      'servers.list': () => [office],
      'log.recent': () => [
        {
          id: 1,
          at,
          kind: 'knock',
          serverId: office.profile.id,
          serverName: 'office',
          message: 'knocking on office',
        },
        {
          id: 2,
          at,
          kind: 'ip-change',
          message: 'public IPv4 changed from 198.51.100.4 to 203.0.113.9',
        },
        {
          id: 3,
          at,
          kind: 'door-open',
          serverId: office.profile.id,
          serverName: 'office',
          message: 'office is open',
        },
      ],
    });
    await renderWithCore(<LogView />, core.api);
    const messages = () =>
      [...document.querySelectorAll('.log-message')].map((line) => line.textContent);
    expect(messages()).toEqual([
      'office is open',
      'public IPv4 changed from 198.51.100.4 to 203.0.113.9',
      'knocking on office',
    ]);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Server'), 'office');
    expect(messages()).toEqual(['office is open', 'knocking on office']);
    await user.selectOptions(screen.getByLabelText('Kind'), 'door-open');
    expect(messages()).toEqual(['office is open']);
    await user.selectOptions(screen.getByLabelText('Server'), '');
    await user.selectOptions(screen.getByLabelText('Kind'), '');
    act(() => core.emit('log', { id: 4, at, kind: 'error', message: 'network watcher: boom' }));
    expect(messages()[0]).toBe('network watcher: boom');
  });
});

describe('the settings', () => {
  it('applies switches at once, and checks providers and the interval before saving', async () => {
    const core = fakeApi({ 'settings.update': () => preferencesSchema.parse({}) });
    await renderWithCore(<SettingsView />, core.api);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Theme'), 'dark');
    await user.click(screen.getByLabelText('When a door opens'));
    expect(core.callsOf('settings.update')).toEqual([
      { patch: { theme: 'dark' } },
      { patch: { notifications: { doorOpened: false, knockFailed: true, publicIpChanged: true } } },
    ]);
    const form = screen.getByRole('form', { name: 'Public IP and commands' });
    const save = within(form).getByRole<HTMLButtonElement>('button', { name: 'Save' });
    await user.type(screen.getByLabelText('IP providers'), 'ftp://nope');
    expect(
      screen.getByText(/is not a provider: give an http\(s\):\/\/ or dns:\/\/ URL/),
    ).toBeTruthy();
    expect(save.disabled).toBe(true);
    await user.clear(screen.getByLabelText('IP providers'));
    await user.type(screen.getByLabelText('IP providers'), 'https://ip.example.com/');
    await user.clear(screen.getByLabelText('Check every (minutes)'));
    await user.type(screen.getByLabelText('Check every (minutes)'), '0');
    expect(screen.getByText('a whole number of minutes, 1 to 1440')).toBeTruthy();
    await user.type(screen.getByLabelText('Check every (minutes)'), '{Backspace}10');
    await user.type(screen.getByLabelText('RDP client'), 'xfreerdp /v:{{host}:{{port}');
    await user.click(save);
    const last = core.callsOf('settings.update').at(-1) as { patch: Record<string, unknown> };
    expect(last.patch).toMatchObject({
      ipCheckIntervalMinutes: 10,
      rdpCommand: ['xfreerdp', '/v:{host}:{port}'],
      ipProviders: [
        {
          kind: 'http',
          name: 'ip.example.com',
          ipv4: 'https://ip.example.com/',
          ipv6: 'https://ip.example.com/',
        },
      ],
    });
  });
});
