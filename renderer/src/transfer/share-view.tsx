import { useEffect, useState } from 'react';
import type { ServerView } from '../../../src/api/view-schemas.js';
import { shareLinkInputSchema } from '../../../src/api/transfer-schemas.js';
import { messageOf } from '../api/call-error.js';
import { useCore } from '../state/core-context.js';
import { CopyButton } from '../ui/copy-button.js';
import { Checkbox } from '../ui/field.js';
import { Icon } from '../ui/icons.js';
import { FwknopQr } from './fwknop-qr.js';
import { PassphrasePair, passphraseMessages } from './passphrase-pair.js';
import { QrImage } from './qr-image.js';
import { schemaMessages } from './schema-messages.js';
import { ViewHeader } from './view-header.js';

interface ShareViewProps {
  readonly server: ServerView;
  readonly onDone: () => void;
}

interface Shared {
  readonly link: string;
  readonly qrSvg: string;
  readonly sealed: boolean;
}

/**
 * Share one server: a sesame:// link and its QR code, which add it in Sesame elsewhere. Without
 * a passphrase the link holds no secret; with one, the core seals the sequence or keys in it.
 * For SPA doors, fwknop's own QR code for its mobile apps, after saying it shows the keys.
 */
export function ShareView({ server, onDone }: ShareViewProps) {
  const { api } = useCore();
  const { profile } = server;
  const [shared, setShared] = useState<Shared>();
  const [failure, setFailure] = useState<string>();
  const [seal, setSeal] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);

  const make = (withSecret: boolean) => {
    const input = withSecret
      ? { id: profile.id, withSecrets: true, passphrase }
      : { id: profile.id };
    setBusy(true);
    api.invoke('share.link', input).then(
      (result) => {
        setShared({ ...result, sealed: withSecret });
        setFailure(undefined);
        setBusy(false);
        // The passphrase has done its work: it is not kept in the form.
        setPassphrase('');
        setConfirm('');
        setTried(false);
      },
      (error: unknown) => {
        setFailure(messageOf(error));
        setBusy(false);
      },
    );
  };
  // The plain link at once; a sealed one only when asked.
  useEffect(() => {
    api.invoke('share.link', { id: profile.id }).then(
      (result) => setShared({ ...result, sealed: false }),
      (error: unknown) => setFailure(messageOf(error)),
    );
  }, [api, profile.id]);

  const messages = passphraseMessages(
    schemaMessages(shareLinkInputSchema, { id: profile.id, withSecrets: true, passphrase }),
    passphrase,
    confirm,
  );
  const sealLink = () => {
    setTried(true);
    if (messages.size === 0) make(true);
  };
  const unseal = (on: boolean) => {
    setSeal(on);
    if (on) return;
    setPassphrase('');
    setConfirm('');
    setTried(false);
    if (shared?.sealed === true) make(false);
  };
  const secretWord = profile.method.kind === 'spa' ? 'keys' : 'sequence';

  return (
    <section className="page transfer" aria-labelledby="share-title">
      <ViewHeader
        id="share-title"
        title={`Share ${profile.name}`}
        subtitle="Scan or open the link on another computer to add this server to its Sesame."
        onBack={onDone}
      />
      {failure !== undefined && (
        <div className="banner banner-error" role="alert">
          {failure}
        </div>
      )}

      <section className="section share" aria-labelledby="share-link-title" aria-busy={busy}>
        <h2 id="share-link-title" className="section-title">
          Link
        </h2>
        {shared === undefined ? (
          <p className="muted">Making the link…</p>
        ) : (
          <div className="share-body">
            <QrImage
              svg={shared.qrSvg}
              label={`QR code of the link to ${profile.name}${shared.sealed ? ', with its sealed ' + secretWord : ''}`}
            />
            <div className="share-text">
              <p className={shared.sealed ? 'tag-line sealed' : 'tag-line'}>
                <Icon name="key" />{' '}
                {shared.sealed
                  ? `With the ${secretWord}, sealed with your passphrase: give the passphrase another way.`
                  : `Without the ${secretWord}: enter it on the other computer after adding.`}
              </p>
              <div className="copy-row">
                <input
                  className="mono"
                  readOnly
                  value={shared.link}
                  aria-label="Share link"
                  onFocus={(event) => event.target.select()}
                />
                <CopyButton text={shared.link} label="Copy the link" />
              </div>
            </div>
          </div>
        )}
        <Checkbox
          label={`Include the ${secretWord}, sealed with a passphrase`}
          checked={seal}
          onChange={unseal}
          hint="Whoever has the link and the passphrase can open the door."
        />
        {seal && (
          <form
            className="seal-form"
            onSubmit={(event) => {
              event.preventDefault();
              sealLink();
            }}
          >
            <PassphrasePair
              passphrase={passphrase}
              confirm={confirm}
              onPassphrase={setPassphrase}
              onConfirm={setConfirm}
              errors={(field) => (tried ? messages.get(field) : undefined)}
            />
            <button type="submit" className="button primary" disabled={busy}>
              <Icon name="key" /> Make the sealed link
            </button>
          </form>
        )}
      </section>

      {profile.method.kind === 'spa' && <FwknopQr server={server} />}
    </section>
  );
}
