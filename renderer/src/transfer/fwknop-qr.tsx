import { useState } from 'react';
import type { ServerView } from '../../../src/api/view-schemas.js';
import { messageOf } from '../api/call-error.js';
import { useCore } from '../state/core-context.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Icon } from '../ui/icons.js';
import { QrImage } from './qr-image.js';

/**
 * fwknop's QR code for its mobile clients: the keys in clear. Shown only after the person
 * confirms exactly that, hidden again on request, and forgotten when the view closes.
 */
export function FwknopQr({ server }: { server: ServerView }) {
  const { api } = useCore();
  const { profile } = server;
  const [asking, setAsking] = useState(false);
  const [svg, setSvg] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const show = () => {
    setAsking(false);
    api.invoke('share.fwknopQr', { id: profile.id, keysInClear: true }).then(
      (result) => {
        setSvg(result.qrSvg);
        setFailure(undefined);
      },
      (error: unknown) => setFailure(messageOf(error)),
    );
  };
  return (
    <section className="section share" aria-labelledby="fwknop-qr-title">
      <h2 id="fwknop-qr-title" className="section-title">
        fwknop on a phone
      </h2>
      <p className="muted">
        fwknop&apos;s mobile apps read the keys from a QR code of their own. It shows the keys in
        clear: anyone who sees or photographs it can open the door.
      </p>
      {failure !== undefined && (
        <p className="error-text" role="alert">
          {failure}
        </p>
      )}
      {svg === undefined ? (
        <button type="button" className="button" onClick={() => setAsking(true)}>
          <Icon name="eye" /> Show the keys as a QR code…
        </button>
      ) : (
        <div className="share-body">
          <QrImage svg={svg} label={`QR code of the fwknop keys of ${profile.name}`} />
          <div className="share-text">
            <p className="tag-line secret">
              <Icon name="key" /> The keys, in clear. Hide them once the phone has read them.
            </p>
            <button type="button" className="button" onClick={() => setSvg(undefined)}>
              Hide the keys
            </button>
          </div>
        </div>
      )}
      {asking && (
        <ConfirmDialog
          title="Show the keys in clear?"
          confirmLabel="Show the keys"
          danger
          onConfirm={show}
          onCancel={() => setAsking(false)}
        >
          <p>
            The QR code holds {profile.name}&apos;s encryption and HMAC keys as they are. Show it
            only where nobody else can see the screen.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
