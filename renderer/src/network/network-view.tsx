import { useState } from 'react';
import type { NetworkState, ProviderReport } from '../../../src/api/view-schemas.js';
import { messageOf } from '../api/call-error.js';
import { useCore, useCoreState } from '../state/core-context.js';
import { Checkbox } from '../ui/field.js';
import { fullTime, timeAgo } from '../ui/format.js';
import { Icon } from '../ui/icons.js';
import { useToast } from '../ui/toasts.js';
import { useNow } from '../ui/use-now.js';

/** The public IPv4 and IPv6, since when, who said so, and the auto re-knock switch. */
export function NetworkView() {
  const { api } = useCore();
  const network = useCoreState((s) => s.network);
  const toast = useToast();
  const now = useNow();
  const [checking, setChecking] = useState(false);

  const checkNow = () => {
    setChecking(true);
    api
      .invoke('network.checkNow')
      .catch((error: unknown) => toast(`Could not check: ${messageOf(error)}`, 'error'))
      .finally(() => setChecking(false));
  };
  const setAuto = (autoReknock: boolean) => {
    api
      .invoke('settings.update', { patch: { autoReknock } })
      .catch((error: unknown) => toast(messageOf(error), 'error'));
  };

  return (
    <section className="page" aria-labelledby="network-title">
      <header className="page-header">
        <div>
          <h1 id="network-title">Network</h1>
          <p className="subtitle">
            {network?.checkedAt === undefined ? (
              'Not checked yet'
            ) : (
              <>
                Last checked{' '}
                <time
                  dateTime={new Date(network.checkedAt).toISOString()}
                  title={fullTime(network.checkedAt)}
                >
                  {timeAgo(network.checkedAt, now)}
                </time>
              </>
            )}
          </p>
        </div>
        <div className="toolbar">
          <button
            type="button"
            className="button"
            onClick={checkNow}
            disabled={checking || network?.checking === true}
          >
            <Icon name="refresh" className={checking || network?.checking ? 'spin' : undefined} />{' '}
            {checking || network?.checking ? 'Checking…' : 'Check now'}
          </button>
        </div>
      </header>
      {network === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="cards">
            <AddressCard label="Public IPv4" family={network.ipv4} now={now} />
            <AddressCard label="Public IPv6" family={network.ipv6} now={now} />
          </div>
          <div className="panel">
            <Checkbox
              label="Knock again by itself when my public IP changes"
              checked={network.autoReknock}
              onChange={setAuto}
              hint="The master switch: servers that ask for it are knocked again after a change. Off: nothing is knocked by itself."
            />
          </div>
          <Reports reports={network.reports} />
        </>
      )}
    </section>
  );
}

function AddressCard({
  label,
  family,
  now,
}: {
  label: string;
  family: NetworkState['ipv4'];
  now: number;
}) {
  return (
    <div className="card">
      <h2 className="card-label">{label}</h2>
      {family.address === undefined ? (
        <p className="address muted">Unknown</p>
      ) : (
        <p className="address mono">{family.address}</p>
      )}
      <p className="card-detail">
        {family.since === undefined ? (
          'No provider has answered for this family.'
        ) : (
          <>
            Since{' '}
            <time dateTime={new Date(family.since).toISOString()} title={fullTime(family.since)}>
              {timeAgo(family.since, now)}
            </time>
            {family.provider !== undefined && <> · said by {family.provider}</>}
          </>
        )}
      </p>
    </div>
  );
}

function Reports({ reports }: { reports: readonly ProviderReport[] }) {
  return (
    <div className="panel">
      <h2 className="panel-title">Providers in the last check</h2>
      {reports.length === 0 ? (
        <p className="muted">No check has finished yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Family</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={`${report.provider}-${report.family}`}>
                <td>{report.provider}</td>
                <td>IPv{report.family}</td>
                <td className={report.ok ? 'ok-text' : 'warning-text'}>
                  <span className="sr-only">{report.ok ? 'answered: ' : 'no answer: '}</span>
                  <span aria-hidden="true">{report.ok ? '✓ ' : '✗ '}</span>
                  <span className={report.ok ? 'mono' : undefined}>{report.detail}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
