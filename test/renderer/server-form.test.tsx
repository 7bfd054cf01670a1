import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GENERATED_HITS } from '../../src/knock/sequence-advice.js';
import { serverDraftSchema } from '../../src/servers/server-profile.js';
import { serverSecretSchema } from '../../src/servers/server-secret.js';
import { ServerForm } from '../../renderer/src/servers/form/server-form.js';
import { fakeApi, renderWithCore, serverView } from './fake-core.js';

afterEach(cleanup);

const saveButton = () =>
  screen.getByRole<HTMLButtonElement>('button', { name: /^(Add server|Save changes)$/ });

async function openForm(
  answers: Parameters<typeof fakeApi>[0] = {},
  editing?: ReturnType<typeof serverView>,
) {
  const core = fakeApi({
    'servers.add': (input) => ({
      server: { name: (input as { draft: { name: string } }).draft.name },
    }),
    'servers.update': (input) => ({
      server: { name: (input as { draft: { name: string } }).draft.name },
    }),
    ...answers,
  });
  const onDone = vi.fn();
  await renderWithCore(<ServerForm editing={editing} onDone={onDone} />, core.api);
  return { core, onDone, user: userEvent.setup() };
}

describe('the add / edit form', () => {
  it('keeps Save off until valid, and shows the core schema message once a field is left', async () => {
    const { user } = await openForm();
    expect(saveButton().disabled).toBe(true);
    await user.type(screen.getByLabelText('Host'), 'bad host');
    expect(screen.queryByText(/is not a host name/)).toBeNull();
    await user.tab();
    expect(screen.getByText(/"bad host" is not a host name or an IP address/)).toBeTruthy();
    expect(screen.getByLabelText('Host').getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByLabelText('Name'));
    await user.tab();
    expect(screen.getByText('the name is empty: give the server a name')).toBeTruthy();
    expect(screen.getByText(/fields need attention before saving/)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
  });

  it('fills the rows from a pasted sequence, reorders and removes hits, and gives advice', async () => {
    const { user } = await openForm();
    await user.click(screen.getByLabelText('Hit 1 port'));
    await user.paste('7000,8000:udp,9000');
    const ports = () =>
      screen.getAllByLabelText(/^Hit \d port$/).map((input) => (input as HTMLInputElement).value);
    const protocols = () =>
      screen
        .getAllByLabelText(/^Hit \d protocol$/)
        .map((input) => (input as HTMLSelectElement).value);
    expect(ports()).toEqual(['7000', '8000', '9000']);
    expect(protocols()).toEqual(['tcp', 'udp', 'tcp']);
    await user.click(screen.getByRole('button', { name: 'Move hit 3 up' }));
    expect(ports()).toEqual(['7000', '9000', '8000']);
    expect(protocols()).toEqual(['tcp', 'tcp', 'udp']);
    const advice = screen.getByRole('note', { name: 'Sequence advice' });
    expect(within(advice).getByText(/UDP is easy to spoof/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove hit 1' }));
    expect(ports()).toEqual(['9000', '8000']);
    expect(within(advice).getByText(/2 hits are easy to stumble on/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Generate a strong sequence' }));
    expect(ports()).toHaveLength(DEFAULT_GENERATED_HITS);
    expect(screen.queryByRole('note', { name: 'Sequence advice' })).toBeNull();
  });

  it('says what is wrong with a typed sequence', async () => {
    const { user } = await openForm();
    await user.type(screen.getByLabelText('Or paste a sequence'), '7000,70000');
    await user.click(screen.getByRole('button', { name: 'Use' }));
    expect(screen.getByText('"70000" is not a port (1-65535)')).toBeTruthy();
    await user.type(screen.getByLabelText('Hit 1 port'), 'x');
    expect(screen.getByText('"x" is not a port (1-65535)')).toBeTruthy();
  });

  it('sends the draft and the secret once, as the core takes them', async () => {
    const { user, core, onDone } = await openForm();
    await user.type(screen.getByLabelText('Name'), 'office');
    await user.type(screen.getByLabelText('Host'), '203.0.113.7');
    await user.type(screen.getByLabelText('Or paste a sequence'), '4127,9313:udp,2871{Enter}');
    await user.type(screen.getByLabelText('Delay between hits (ms)'), '200');
    await user.type(screen.getByLabelText('SSH user'), 'alice');
    expect(saveButton().disabled).toBe(false);
    await user.click(saveButton());
    const [sent] = core.callsOf('servers.add') as { draft: unknown; secret: unknown }[];
    expect(sent?.secret).toEqual({ kind: 'knock', sequence: '4127,9313:udp,2871' });
    expect(serverDraftSchema.parse(sent?.draft)).toMatchObject({
      name: 'office',
      host: '203.0.113.7',
      method: { kind: 'knock', delayMs: 200, oneTime: false },
      checkPort: 22,
      ssh: { user: 'alice', port: 22 },
      auto: { onIpChange: true, atStart: false },
    });
    expect(onDone).toHaveBeenCalled();
  });

  it("shows the core's own rule that one-time sequences need a check port", async () => {
    const { user } = await openForm();
    await user.type(screen.getByLabelText('Name'), 'office');
    await user.type(screen.getByLabelText('Host'), 'gw.example.com');
    await user.click(screen.getByLabelText(/One-time sequences \(knockd/));
    await user.clear(screen.getByLabelText('Check port'));
    await user.type(
      screen.getByLabelText('One-time sequences'),
      '# from the server\n4127,9313,2871\n#used\n5120,6230,1999',
    );
    expect(screen.getByText(/\(2 sequences now\)/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show what is missing' }));
    expect(screen.getByText(/one-time sequences need a check port/)).toBeTruthy();
    await user.type(screen.getByLabelText('Check port'), '22');
    expect(screen.queryByText(/one-time sequences need a check port/)).toBeNull();
  });

  it('shows a refusal of the core as an alert and keeps what was typed', async () => {
    const { user, onDone } = await openForm({
      'servers.add': () => {
        throw new Error('a server named "office" already exists');
      },
    });
    await user.type(screen.getByLabelText('Name'), 'office');
    await user.type(screen.getByLabelText('Host'), 'gw.example.com');
    await user.click(screen.getByRole('button', { name: 'Generate a strong sequence' }));
    await user.click(saveButton());
    expect(screen.getByRole('alert').textContent).toContain(
      'a server named "office" already exists',
    );
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByLabelText<HTMLInputElement>('Name').value).toBe('office');
  });

  it('when editing, says a sequence is stored, never shows it, and sends none unless replaced', async () => {
    const existing = serverView('office', {}, { host: 'gw.example.com' });
    const { user, core } = await openForm({}, existing);
    expect(screen.getByText('Sequence stored in the keychain.')).toBeTruthy();
    expect(screen.queryByLabelText('Hit 1 port')).toBeNull();
    await user.click(saveButton());
    expect(core.callsOf('servers.update')).toEqual([
      {
        id: existing.profile.id,
        draft: expect.objectContaining({ name: 'office', host: 'gw.example.com' }) as unknown,
      },
    ]);
    await user.click(screen.getByRole('button', { name: 'Enter a new sequence' }));
    expect(screen.getByLabelText('Hit 1 port')).toBeTruthy();
  });

  it('takes SPA keys, generated or typed, hidden unless asked', async () => {
    const { user } = await openForm();
    await user.click(screen.getByLabelText('Single Packet Authorization (fwknop)'));
    const key = screen.getByLabelText<HTMLInputElement>('Encryption key (base64)');
    expect(key.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Generate keys' }));
    expect(atob(key.value)).toHaveLength(32);
    expect(atob(screen.getByLabelText<HTMLInputElement>('HMAC key (base64)').value)).toHaveLength(
      64,
    );
    await user.click(screen.getByRole('button', { name: 'Show keys' }));
    expect(key.type).toBe('text');
    await user.clear(screen.getByLabelText('Access ports'));
    await user.type(screen.getByLabelText('Access ports'), 'ssh');
    await user.tab();
    expect(screen.getByText(/"ssh" is not an access port: write proto\/port/)).toBeTruthy();
  });

  it("sends an SPA door as the core's SPA schema takes it, and shows fwknop's rules", async () => {
    const { user, core } = await openForm();
    await user.type(screen.getByLabelText('Name'), 'gateway');
    await user.type(screen.getByLabelText('Host'), '203.0.113.7');
    await user.click(screen.getByLabelText('Single Packet Authorization (fwknop)'));
    await user.clear(screen.getByLabelText('Access ports'));
    await user.type(screen.getByLabelText('Access ports'), 'tcp/3389');
    await user.selectOptions(screen.getByLabelText('NAT access'), 'forward');
    await user.type(screen.getByLabelText('Internal host'), '192.168.1.20');
    await user.selectOptions(screen.getByLabelText('Send over'), 'tcp');
    await user.click(screen.getByLabelText('Send to a random port (--rand-port)'));
    await user.click(screen.getByRole('button', { name: 'Generate keys' }));
    expect(screen.getByText(/a random server port works over UDP only/)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);
    await user.click(screen.getByLabelText('Send to a random port (--rand-port)'));
    expect(saveButton().disabled).toBe(false);
    await user.click(saveButton());
    const [sent] = core.callsOf('servers.add') as { draft: unknown; secret: unknown }[];
    expect(serverDraftSchema.parse(sent?.draft).method).toMatchObject({
      kind: 'spa',
      access: [{ protocol: 'tcp', port: 3389 }],
      allowIp: { mode: 'resolve' },
      nat: { mode: 'forward', host: '192.168.1.20' },
      transport: 'tcp',
      randPort: false,
    });
    expect(serverSecretSchema.parse(sent?.secret)).toMatchObject({ kind: 'spa' });
  });
});
