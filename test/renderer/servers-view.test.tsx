import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServersView } from '../../renderer/src/servers/servers-view.js';
import { fakeApi, renderWithCore, serverView } from './fake-core.js';

afterEach(cleanup);

async function showList(views: ReturnType<typeof serverView>[], mode: 'app' | 'preview' = 'app') {
  const core = fakeApi({
    'servers.list': () => views,
    'servers.remove': () => ({}),
    'servers.knock': (input) => ({
      ...views[0]?.status,
      serverId: (input as { id: string }).id,
      state: 'open',
    }),
    'servers.openSsh': () => ({ command: 'ssh -- alice@office.example.com' }),
  });
  const onAdd = vi.fn();
  const onImport = vi.fn();
  const onServer = vi.fn();
  await renderWithCore(
    <ServersView onAdd={onAdd} onImport={onImport} onServer={onServer} />,
    core.api,
    mode,
  );
  return { core, onAdd, onImport, onServer, user: userEvent.setup() };
}

const row = (name: string) => screen.getByRole('listitem', { name });

describe('the server list', () => {
  it('explains what to do first when there is no server', async () => {
    const { user, onAdd } = await showList([]);
    expect(screen.getByRole('heading', { name: 'No servers yet' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add your first server' }));
    expect(onAdd).toHaveBeenCalled();
  });

  it('tells each state in words, with the reason of a failure as the badge description', async () => {
    await showList([
      serverView('office', {
        state: 'open',
        checkLatencyMs: 4.2,
        lastKnock: { at: Date.now() - 120_000, trigger: 'ip-change', publicIp: '198.51.100.4' },
      }),
      serverView('lab', {
        state: 'error',
        reason: 'cannot resolve host "lab.example.com"',
        retryAt: Date.now() + 180_000,
      }),
      serverView('nas', { state: 'knocking', progress: { sent: 2, total: 3 } }),
      serverView('spare', { state: 'idle', secret: 'missing' }),
    ]);
    expect(within(row('office')).getByText('Open')).toBeTruthy();
    expect(within(row('office')).getByText('2 min ago')).toBeTruthy();
    expect(within(row('office')).getByText('198.51.100.4')).toBeTruthy();
    expect(within(row('office')).getByText('answered in 4.2 ms')).toBeTruthy();
    expect(within(row('nas')).getByText('Knocking 2/3')).toBeTruthy();
    expect(within(row('nas')).getByRole('button', { name: 'Cancel knocking on nas' })).toBeTruthy();
    expect(within(row('spare')).getByText(/No sequence or key stored/)).toBeTruthy();
    expect(within(row('lab')).getByText('in 3 min')).toBeTruthy();
    const failed = within(row('lab')).getByText('Error').closest('.badge');
    expect(failed?.getAttribute('tabindex')).toBe('0');
    const tip = document.getElementById(failed?.getAttribute('aria-describedby') ?? '');
    expect(tip?.textContent).toBe('cannot resolve host "lab.example.com"');
    expect(tip?.getAttribute('role')).toBe('tooltip');
  });

  it('follows the core: a status event changes one row without a reload', async () => {
    const office = serverView('office');
    const { core } = await showList([office, serverView('lab')]);
    expect(within(row('office')).getByText('Not knocked')).toBeTruthy();
    act(() =>
      core.emit('status', {
        serverId: office.profile.id,
        state: 'knocking',
        progress: { sent: 1, total: 3 },
        secret: 'stored',
      }),
    );
    expect(within(row('office')).getByText('Knocking 1/3')).toBeTruthy();
    act(() =>
      core.emit('status', { serverId: office.profile.id, state: 'open', secret: 'stored' }),
    );
    expect(within(row('office')).getByText('Open')).toBeTruthy();
    expect(within(row('lab')).getByText('Not knocked')).toBeTruthy();
  });

  it('knocks, and opens SSH; the preview says which command the app would run', async () => {
    const office = serverView('office');
    const { user, core } = await showList([office], 'preview');
    await user.click(screen.getByRole('button', { name: 'Knock on office' }));
    expect(core.callsOf('servers.knock')).toEqual([{ id: office.profile.id }]);
    expect(await within(row('office')).findByText('Open')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Open SSH to office' }));
    expect(
      await screen.findByText(
        'Preview: the tray app would now run ssh -- alice@office.example.com',
      ),
    ).toBeTruthy();
  });

  it('deletes only after asking; Escape keeps the server', async () => {
    const office = serverView('office');
    const { user, core } = await showList([office]);
    const deleteButton = screen.getByRole('button', { name: 'Delete office' });
    await user.click(deleteButton);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete office?' });
    expect(document.activeElement?.textContent).toBe('Cancel');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(deleteButton);
    expect(core.callsOf('servers.remove')).toEqual([]);
    await user.click(deleteButton);
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(core.callsOf('servers.remove')).toEqual([{ id: office.profile.id }]);
    expect(dialog.isConnected).toBe(false);
  });

  it('reaches every action by keyboard', async () => {
    const { user } = await showList([serverView('office', {}, { rdp: { port: 3389 } })]);
    const names: string[] = [];
    for (let i = 0; i < 11; i += 1) {
      await user.tab();
      names.push(
        document.activeElement?.getAttribute('aria-label') ??
          document.activeElement?.textContent ??
          '',
      );
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'Knock on office',
        'Open SSH to office',
        'Open RDP to office',
        'Edit office',
        'Delete office',
        'More for office',
      ]),
    );
  });

  it('opens share and server setup from a row’s menu, by keyboard too', async () => {
    const office = serverView('office');
    const { user, onServer, onImport } = await showList([office]);
    const more = screen.getByRole('button', { name: 'More for office' });
    await user.click(more);
    await user.click(screen.getByRole('menuitem', { name: 'Share…' }));
    expect(onServer).toHaveBeenLastCalledWith('share', office.profile.id);

    more.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Share…');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onServer).toHaveBeenLastCalledWith('setup', office.profile.id);
    expect(screen.queryByRole('menu')).toBeNull();

    await user.click(more);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(more);

    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(onImport).toHaveBeenCalled();
  });
});
