import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SetupView } from '../../renderer/src/transfer/setup-view.js';
import { fakeApi, renderWithCore, serverView } from './fake-core.js';

afterEach(cleanup);

interface SetupCall {
  withSecrets: boolean;
  nat?: { host: string; port: number };
}

async function openSetup() {
  const core = fakeApi({
    'setup.generate': (input) => {
      const { withSecrets, nat } = input as SetupCall;
      const sequence = withSecrets ? '7000,8000,9000' : '<SEQUENCE>';
      return {
        blocks: [
          {
            id: 'knockd-door',
            title: 'knockd door',
            file: '/etc/knockd.conf',
            explanation: 'When an address sends these hits in order, knockd lets it in.',
            language: 'knockd',
            text: `[office]\n    sequence = ${sequence}`,
            secret: true,
          },
          ...(nat === undefined
            ? []
            : [
                {
                  id: 'nat',
                  title: 'NAT to a LAN machine',
                  explanation: `Forwards to ${nat.host}:${nat.port}.`,
                  language: 'shell',
                  text: `iptables -t nat … --to-destination ${nat.host}:${nat.port}`,
                  secret: false,
                },
              ]),
        ],
        warnings: [],
      };
    },
  });
  const view = serverView('office');
  const onDone = vi.fn();
  await renderWithCore(<SetupView server={view} onDone={onDone} />, core.api);
  return { core, view, onDone, user: userEvent.setup() };
}

const steps = () => screen.getByRole('list', { name: 'Setup steps' });

describe('the server setup', () => {
  it('shows each block with placeholders, and the sequence only when asked', async () => {
    const { core, view, user } = await openSetup();
    const door = await screen.findByRole('listitem', { name: 'knockd door' });
    expect(within(door).getByText('/etc/knockd.conf')).toBeTruthy();
    expect(within(door).getByText(/knockd lets it in/)).toBeTruthy();
    expect(within(door).getByText(/<SEQUENCE>/)).toBeTruthy();
    expect(steps().textContent).not.toContain('7000');
    expect(core.callsOf('setup.generate')).toEqual([
      { id: view.profile.id, withSecrets: false, firewall: 'iptables' },
    ]);

    await user.click(screen.getByRole('button', { name: 'Show the sequence' }));
    await waitFor(() => expect(steps().textContent).toContain('7000,8000,9000'));
    expect(screen.getByText(/shown below in clear/)).toBeTruthy();
    expect(within(steps()).getByText('Holds the secret')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Hide the sequence' }));
    expect(document.body.textContent).not.toContain('7000,8000,9000');
    await waitFor(() => expect(steps().textContent).toContain('<SEQUENCE>'));
  });

  it('copies a block', async () => {
    const { user } = await openSetup();
    await screen.findByRole('listitem', { name: 'knockd door' });
    await user.click(screen.getByRole('button', { name: 'Copy knockd door' }));
    expect(await navigator.clipboard.readText()).toBe('[office]\n    sequence = <SEQUENCE>');
  });

  it('forwards to a LAN machine, checking its port with the contract', async () => {
    const { core, user } = await openSetup();
    await screen.findByRole('listitem', { name: 'knockd door' });
    await user.click(screen.getByLabelText('Forward to a machine on the LAN (NAT)'));
    await user.type(screen.getByLabelText('LAN machine (IPv4)'), '192.168.1.20');
    await user.clear(screen.getByLabelText('LAN port'));
    await user.type(screen.getByLabelText('LAN port'), 'rdp');
    expect(screen.getByText('write a whole number')).toBeTruthy();
    await user.clear(screen.getByLabelText('LAN port'));
    await user.type(screen.getByLabelText('LAN port'), '3389');
    expect(await screen.findByRole('listitem', { name: 'NAT to a LAN machine' })).toBeTruthy();
    expect(core.callsOf('setup.generate').at(-1)).toMatchObject({
      nat: { host: '192.168.1.20', port: 3389 },
    });
  });
});
