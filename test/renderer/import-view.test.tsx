import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportView } from '../../renderer/src/transfer/import-view.js';
import { fakeApi, renderWithCore } from './fake-core.js';

afterEach(cleanup);

const KNOCKD =
  '[options]\n\tUseSyslog\n[openSSH]\n\tsequence = 7000,8000,9000\n[closeSSH]\n\tsequence = 9000,8000,7000\n';

const ONE_TIME_KNOCKD =
  '[otp]\n\tone_time_sequences = /etc/knockd/otp\n\ttcpflags = syn\n\tcommand = /sbin/iptables -I INPUT -s %IP% -p tcp --dport 22 -j ACCEPT\n';

interface Input {
  text: string;
  host?: string;
  only?: string[];
  passphrase?: string;
}

/** The core's preview of KNOCKD, as import.preview answers it for the given choices. */
function knockdPreview(input: Input) {
  const servers = ['openSSH', 'closeSSH'].map((source, index) => ({
    source,
    line: 3 + index * 2,
    name: source,
    method: 'knock' as const,
    ...(input.host !== undefined && { host: input.host }),
    selected: input.only?.includes(source) ?? true,
    hasSecret: true,
    warnings: source === 'closeSSH' ? ['its start command removes access'] : [],
    problems:
      input.host === undefined
        ? ['knockd.conf does not say which host this door is on: give the host']
        : [],
  }));
  return {
    format: 'knockd',
    secrets: 'none',
    ready: input.host !== undefined && servers.some((s) => s.selected),
    issues: [{ line: 2, severity: 'warning', message: 'UseSyslog: Sesame does not need it' }],
    servers,
  };
}

async function openImport(answers: Parameters<typeof fakeApi>[0] = {}) {
  const core = fakeApi({ 'import.preview': (input) => knockdPreview(input as Input), ...answers });
  const onDone = vi.fn();
  await renderWithCore(<ImportView onDone={onDone} />, core.api);
  const user = userEvent.setup();
  return { core, onDone, user };
}

async function paste(user: ReturnType<typeof userEvent.setup>, text: string) {
  await user.click(screen.getByLabelText('Or paste its text'));
  await user.paste(text);
}

const importButton = () => screen.getByRole<HTMLButtonElement>('button', { name: /^Import \d/ });

describe('importing servers', () => {
  it('previews pasted knockd.conf, asks for the host, and imports only the chosen doors', async () => {
    const { core, onDone, user } = await openImport({
      'import.apply': () => ({ servers: [{ name: 'openSSH' }] }),
    });
    await paste(user, KNOCKD);
    expect(await screen.findByText('knockd.conf')).toBeTruthy();
    const issues = screen.getByRole('list', { name: 'Problems of the file' });
    expect(within(issues).getByText('Line 2:')).toBeTruthy();
    const found = screen.getByRole('list', { name: 'Servers in the file' });
    expect(within(found).getAllByText(/give the host/)).toHaveLength(2);
    expect(within(found).getByText('its start command removes access')).toBeTruthy();
    expect(importButton().disabled).toBe(true);

    await user.type(screen.getByLabelText('Host'), 'gateway.example.com');
    await user.click(screen.getByLabelText('closeSSH'));
    await waitFor(() => expect(importButton().disabled).toBe(false));
    expect(importButton().textContent).toMatch('Import 1 server');
    expect(within(found).queryByText(/give the host/)).toBeNull();
    await user.click(importButton());

    expect(core.callsOf('import.apply')).toEqual([
      {
        text: KNOCKD,
        format: 'auto',
        host: 'gateway.example.com',
        only: ['openSSH'],
        onClash: 'refuse',
      },
    ]);
    expect(onDone).toHaveBeenCalled();
    expect(screen.getByText('Imported openSSH.')).toBeTruthy();
  });

  it('shows the core refusing the import, and imports nothing', async () => {
    const { onDone, user } = await openImport({
      'import.apply': () => {
        throw new Error('nothing was imported: the keychain refused the sequence of "openSSH"');
      },
    });
    await paste(user, KNOCKD);
    await user.type(await screen.findByLabelText('Host'), '203.0.113.7');
    await waitFor(() => expect(importButton().disabled).toBe(false));
    await user.click(importButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Nothing was imported. the keychain refused the sequence of "openSSH"',
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('asks for the passphrase of a sealed export and opens it', async () => {
    const { core, user } = await openImport({
      'import.preview': (input) => {
        const opened = (input as Input).passphrase === 'correct horse';
        return {
          format: 'sesame',
          secrets: opened ? 'opened' : 'locked',
          ready: opened,
          issues: opened ? [] : [{ severity: 'error', message: 'the secrets are sealed' }],
          servers: [
            {
              source: 'office',
              name: 'office',
              method: 'spa',
              host: 'office.example.com',
              selected: true,
              hasSecret: opened,
              warnings: [],
              problems: [],
            },
          ],
        };
      },
    });
    await paste(user, '{"format":"sesame-export"}');
    expect(await screen.findByText('Sesame export')).toBeTruthy();
    expect(screen.queryByLabelText('Host')).toBeNull();
    expect(importButton().disabled).toBe(true);
    await user.type(screen.getByLabelText('Passphrase of the export'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(importButton().disabled).toBe(false));
    expect(screen.getByText(/Opened: the sequences and keys will be imported/)).toBeTruthy();
    expect(core.callsOf('import.preview').at(-1)).toMatchObject({ passphrase: 'correct horse' });
  });

  it('reads a picked file, and says when the text is too large for the contract', async () => {
    const { core, user } = await openImport();
    const picker = screen.getByLabelText('Choose a file…');
    await user.upload(picker, new File([KNOCKD], 'knockd.conf', { type: 'text/plain' }));
    expect(await screen.findByText('knockd.conf', { selector: '.mono' })).toBeTruthy();
    await waitFor(() => expect(core.callsOf('import.preview')).toHaveLength(1));
    expect(core.callsOf('import.preview')[0]).toMatchObject({ text: KNOCKD });

    await user.clear(screen.getByLabelText('Or paste its text'));
    await user.click(screen.getByLabelText('Or paste its text'));
    await user.paste('x'.repeat(1024 * 1024 + 1));
    expect(screen.getByText(/the file is larger than 1 MiB/)).toBeTruthy();
  });

  it('takes the one-time sequences of a one_time_sequences door, picked or pasted, and forgets them', async () => {
    const list = '7000,8000,9000\n7100,8100,9100\n';
    const { core, onDone, user } = await openImport({
      'import.preview': (input) => {
        const { host, oneTimeLists } = input as Input & { oneTimeLists?: Record<string, string> };
        const given = oneTimeLists?.otp;
        return {
          format: 'knockd',
          secrets: 'none',
          ready: host !== undefined && given !== undefined,
          issues: [],
          servers: [
            {
              source: 'otp',
              line: 1,
              name: 'otp',
              method: 'knock',
              ...(host !== undefined && { host }),
              selected: true,
              hasSecret: given !== undefined,
              profile: { name: 'otp', method: { kind: 'knock', oneTime: true } },
              warnings: [],
              problems:
                given === undefined
                  ? [
                      'this door reads its sequences from /etc/knockd/otp on the server: give the contents of that file',
                    ]
                  : [],
            },
          ],
        };
      },
      'import.apply': () => ({ servers: [{ name: 'otp' }] }),
    });
    await paste(user, ONE_TIME_KNOCKD);
    await user.type(await screen.findByLabelText('Host'), 'gateway.example.com');
    const found = screen.getByRole('list', { name: 'Servers in the file' });
    expect(within(found).getByText(/give the contents of that file/)).toBeTruthy();

    // Picked: the file copied from the server.
    await user.upload(
      within(found).getByLabelText('Choose the file… (one-time sequences of otp)'),
      new File([list], 'otp', { type: 'text/plain' }),
    );
    const field = within(found).getByLabelText<HTMLTextAreaElement>('One-time sequences of otp');
    await waitFor(() => expect(field.value).toBe(list));
    await waitFor(() => expect(importButton().disabled).toBe(false));
    expect(core.callsOf('import.preview').at(-1)).toMatchObject({ oneTimeLists: { otp: list } });

    // Or pasted: what the field holds is what is sent.
    await user.clear(field);
    await waitFor(() => expect(importButton().disabled).toBe(true));
    await user.click(field);
    await user.paste('7200,8200,9200');
    await waitFor(() => expect(importButton().disabled).toBe(false));
    await user.click(importButton());
    expect(core.callsOf('import.apply')).toEqual([
      {
        text: ONE_TIME_KNOCKD,
        format: 'auto',
        host: 'gateway.example.com',
        oneTimeLists: { otp: '7200,8200,9200' },
        onClash: 'refuse',
      },
    ]);
    expect(onDone).toHaveBeenCalled();

    // Imported: the sequences are forgotten with the text.
    expect(screen.getByLabelText<HTMLTextAreaElement>('Or paste its text').value).toBe('');
    await paste(user, ONE_TIME_KNOCKD);
    const again = await screen.findByLabelText<HTMLTextAreaElement>('One-time sequences of otp');
    expect(again.value).toBe('');
    expect(core.callsOf('import.preview').at(-1)).not.toHaveProperty('oneTimeLists');
  });
});
