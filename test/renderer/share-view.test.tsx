import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShareView } from '../../renderer/src/transfer/share-view.js';
import { fakeApi, renderWithCore, serverView } from './fake-core.js';

afterEach(cleanup);

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M0 0h7v7H0z"/></svg>';
const SPA = {
  method: {
    kind: 'spa',
    access: [{ protocol: 'tcp', port: 22 }],
  },
} as unknown as Parameters<typeof serverView>[2];

async function openShare(view = serverView('office')) {
  const core = fakeApi({
    'share.link': (input) =>
      (input as { withSecrets?: boolean }).withSecrets === true
        ? { link: 'sesame://add/sealed', qrSvg: SVG }
        : { link: 'sesame://add/plain', qrSvg: SVG },
    'share.fwknopQr': () => ({ qrSvg: SVG }),
  });
  const onDone = vi.fn();
  await renderWithCore(<ShareView server={view} onDone={onDone} />, core.api);
  return { core, view, onDone, user: userEvent.setup() };
}

describe('sharing a server', () => {
  it('shows the link with a copy button and its QR code as an image', async () => {
    const { core, view, user } = await openShare();
    const qr = await screen.findByRole('img', { name: 'QR code of the link to office' });
    const src = qr.getAttribute('src') ?? '';
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(src.split(',')[1] ?? '')).toBe(SVG);
    expect(document.querySelector('svg path[d="M0 0h7v7H0z"]')).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Share link').value).toBe('sesame://add/plain');
    expect(screen.getByText(/Without the sequence/)).toBeTruthy();
    expect(core.callsOf('share.link')).toEqual([{ id: view.profile.id }]);

    await user.click(screen.getByRole('button', { name: 'Copy the link' }));
    expect(await navigator.clipboard.readText()).toBe('sesame://add/plain');
    expect(screen.getByRole('button', { name: 'Copy the link' }).textContent).toBe('Copied');
  });

  it('seals the sequence in the link only with a valid passphrase', async () => {
    const { core, view, user } = await openShare();
    await screen.findByRole('img');
    await user.click(screen.getByLabelText('Include the sequence, sealed with a passphrase'));
    await user.type(screen.getByLabelText('Passphrase'), 'tiny');
    await user.click(screen.getByRole('button', { name: 'Make the sealed link' }));
    expect(screen.getByText('the passphrase needs at least 8 characters')).toBeTruthy();
    await user.type(screen.getByLabelText('Passphrase'), ' and longer');
    await user.type(screen.getByLabelText('Passphrase again'), 'tiny and longer');
    await user.click(screen.getByRole('button', { name: 'Make the sealed link' }));
    await waitFor(() =>
      expect(screen.getByLabelText<HTMLInputElement>('Share link').value).toBe(
        'sesame://add/sealed',
      ),
    );
    expect(core.callsOf('share.link').at(-1)).toEqual({
      id: view.profile.id,
      withSecrets: true,
      passphrase: 'tiny and longer',
    });
    expect(screen.getByText(/sealed with your passphrase/)).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Passphrase').value).toBe('');
    await user.click(screen.getByLabelText('Include the sequence, sealed with a passphrase'));
    await waitFor(() =>
      expect(screen.getByLabelText<HTMLInputElement>('Share link').value).toBe(
        'sesame://add/plain',
      ),
    );
  });

  it("shows fwknop's key QR code for an SPA door only after confirming it shows the keys", async () => {
    const { core, view, user } = await openShare(serverView('gateway', {}, SPA));
    await screen.findByRole('img', { name: /link to gateway/ });
    expect(screen.getByText(/Without the keys/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show the keys as a QR code…' }));
    const ask = screen.getByRole('alertdialog', { name: 'Show the keys in clear?' });
    await user.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(core.callsOf('share.fwknopQr')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Show the keys as a QR code…' }));
    await user.click(screen.getByRole('button', { name: 'Show the keys' }));
    expect(
      await screen.findByRole('img', { name: 'QR code of the fwknop keys of gateway' }),
    ).toBeTruthy();
    expect(core.callsOf('share.fwknopQr')).toEqual([{ id: view.profile.id, keysInClear: true }]);
    await user.click(screen.getByRole('button', { name: 'Hide the keys' }));
    expect(screen.queryByRole('img', { name: /fwknop keys/ })).toBeNull();
  });

  it('has no fwknop QR code for a knock door', async () => {
    await openShare();
    await screen.findByRole('img');
    expect(screen.queryByRole('button', { name: /Show the keys/ })).toBeNull();
  });
});
