import { useState } from 'react';
import { exportInputSchema } from '../../../src/api/transfer-schemas.js';
import { messageOf } from '../api/call-error.js';
import { useCore, useCoreState } from '../state/core-context.js';
import { Checkbox } from '../ui/field.js';
import { Icon } from '../ui/icons.js';
import { Modal } from '../ui/modal.js';
import { useToast } from '../ui/toasts.js';
import { saveFile } from './files.js';
import { PassphrasePair, passphraseMessages } from './passphrase-pair.js';
import { schemaMessages } from './schema-messages.js';

interface ExportDialogProps {
  /** The servers chosen when it opens (all, or the one whose menu opened it). */
  readonly ids: readonly string[];
  readonly onClose: () => void;
}

/**
 * Export servers to a file. Without secrets it holds the servers' settings only; with them, the
 * core seals the sequences and keys with a passphrase (the contract's rules: at least 8
 * characters) before the text reaches the window, which only saves it.
 */
export function ExportDialog({ ids, onClose }: ExportDialogProps) {
  const { api } = useCore();
  const toast = useToast();
  const servers = useCoreState((s) => s.servers) ?? [];
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(ids));
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const input = {
    ids: servers.map((s) => s.profile.id).filter((id) => chosen.has(id)),
    withSecrets,
    ...(withSecrets && { passphrase }),
  };
  const contract = schemaMessages(exportInputSchema, input);
  const messages = withSecrets ? passphraseMessages(contract, passphrase, confirm) : contract;
  const shown = (path: string) => (tried || touched.has(path) ? messages.get(path) : undefined);
  const touch = (path: string) => setTouched((now) => new Set(now).add(path));
  const all = servers.length > 0 && servers.every((s) => chosen.has(s.profile.id));

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const submit = async () => {
    setTried(true);
    if (messages.size > 0 || busy) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await api.invoke('export.servers', input);
      saveFile(result.fileName, result.text);
      const what = result.count === 1 ? 'one server' : `${result.count} servers`;
      if (result.withoutSecret.length > 0) {
        toast(
          `Exported ${what} to ${result.fileName}; without a sequence or key (none is stored): ${result.withoutSecret.join(', ')}.`,
          'warning',
        );
      } else {
        toast(
          `Exported ${what} to ${result.fileName}${result.secretsIncluded ? ', sequences and keys sealed with your passphrase' : ''}.`,
          'success',
        );
      }
      setPassphrase('');
      setConfirm('');
      onClose();
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Export servers"
      className="wide"
      onCancel={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            <Icon name="download" /> {busy ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <p>A file to import on another computer, or to keep as a backup.</p>
      {failure !== undefined && (
        <div className="banner banner-error" role="alert">
          <strong>Not exported:</strong> {failure}
        </div>
      )}
      <fieldset className="plain">
        <legend>Servers</legend>
        <Checkbox
          label="All servers"
          checked={all}
          onChange={(on) => setChosen(new Set(on ? servers.map((s) => s.profile.id) : []))}
        />
        <ul className="export-list">
          {servers.map(({ profile }) => (
            <li key={profile.id}>
              <Checkbox
                label={profile.name}
                checked={chosen.has(profile.id)}
                onChange={(on) => toggle(profile.id, on)}
              />
            </li>
          ))}
        </ul>
        {tried && messages.has('ids') && (
          <p className="error-text">
            <span aria-hidden="true">⚠ </span>
            {messages.get('ids')}
          </p>
        )}
      </fieldset>
      <Checkbox
        label="Include sequences and keys, sealed with a passphrase"
        checked={withSecrets}
        onChange={setWithSecrets}
        hint="Without them the file holds no secret; you enter each sequence or key again after importing."
      />
      {withSecrets && (
        <PassphrasePair
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
          errors={shown}
          onBlur={touch}
        />
      )}
    </Modal>
  );
}
