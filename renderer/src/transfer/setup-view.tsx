import { useCallback, useState } from 'react';
import type { CallInput } from '../../../src/api/contract.js';
import type { ServerView } from '../../../src/api/view-schemas.js';
import { setupInputSchema } from '../../../src/api/transfer-schemas.js';
import { slugOf } from '../../../src/setup/setup-types.js';
import { useCore } from '../state/core-context.js';
import { numberOf } from '../servers/form/form-model.js';
import { Checkbox, SelectField, TextField } from '../ui/field.js';
import { Icon } from '../ui/icons.js';
import { schemaMessages } from './schema-messages.js';
import { Note } from './note.js';
import { SetupBlock } from './setup-block.js';
import { useSettledCall } from './use-settled-call.js';
import { ViewHeader } from './view-header.js';

type SetupInput = CallInput<'setup.generate'>;

interface SetupViewProps {
  readonly server: ServerView;
  readonly onDone: () => void;
}

interface Options {
  readonly firewall: 'iptables' | 'nftables';
  readonly port: string;
  readonly nat: boolean;
  readonly natHost: string;
  readonly natPort: string;
  readonly setName: string;
  readonly stopAfter: string;
}

/** How long typing may pause before the setup is made again. */
const SETTLE_MS = 300;

/**
 * What to put on the server so that its door opens for this saved server: the core writes each
 * block (knockd.conf, the firewall rules, fwknopd's files) from the saved server and the options
 * here. The sequence and keys are placeholders until the person asks to see them; they are
 * dropped again on "Hide" and when the view closes.
 */
export function SetupView({ server, onDone }: SetupViewProps) {
  const { api } = useCore();
  const { profile } = server;
  const spa = profile.method.kind === 'spa';
  const [options, setOptions] = useState<Options>({
    firewall: 'iptables',
    port: '',
    nat: false,
    natHost: '',
    natPort: String(profile.rdp?.port ?? 3389),
    setName: '',
    stopAfter: '',
  });
  const [revealed, setRevealed] = useState(false);

  const input: SetupInput = {
    id: profile.id,
    withSecrets: revealed,
    ...(!spa && {
      firewall: options.firewall,
      ...(options.port.trim() !== '' && { port: numberOf(options.port) }),
      ...(options.nat && {
        nat: { host: options.natHost.trim(), port: numberOf(options.natPort) ?? Number.NaN },
      }),
      ...(options.setName.trim() !== '' && { setName: options.setName.trim() }),
    }),
    ...(options.stopAfter.trim() !== '' && { stopAfterSeconds: numberOf(options.stopAfter) }),
  };
  const key = JSON.stringify(input);
  const messages = schemaMessages(setupInputSchema, input);
  const valid = messages.size === 0;

  const run = useCallback(
    (request: string) => api.invoke('setup.generate', JSON.parse(request) as SetupInput),
    [api],
  );
  const [answer, clear] = useSettledCall(valid ? key : undefined, run, SETTLE_MS);
  const setup = answer?.value;
  const failure = answer?.error;

  const set = (patch: Partial<Options>) => setOptions((now) => ({ ...now, ...patch }));
  const hide = () => {
    setRevealed(false);
    // The blocks with the secret go at once, not when the next setup arrives.
    clear();
  };
  const secretWord = spa ? 'keys' : 'sequence';
  const shownSecret = revealed && setup !== undefined;

  return (
    <section className="page transfer" aria-labelledby="setup-title">
      <ViewHeader
        id="setup-title"
        title={`Server setup for ${profile.name}`}
        subtitle={`What to put on ${profile.host} so that its door opens for Sesame, written from this saved server.`}
        onBack={onDone}
      />

      <fieldset className="section">
        <legend>Options</legend>
        {spa ? (
          <TextField
            label="Keep the door open for (seconds)"
            value={options.stopAfter}
            inputMode="numeric"
            placeholder="as fwknopd's default"
            onChange={(stopAfter) => set({ stopAfter })}
            error={messages.get('stopAfterSeconds')}
            className="narrow"
            hint="fwknopd adds its own iptables rules; forwarding to the LAN is the door's NAT setting."
          />
        ) : (
          <>
            <div className="grid two">
              <SelectField
                label="Firewall"
                value={options.firewall}
                options={[
                  { value: 'iptables', label: 'iptables with ipset' },
                  { value: 'nftables', label: 'nftables' },
                ]}
                onChange={(firewall) => set({ firewall })}
              />
              <TextField
                label="Port to protect"
                value={options.port}
                inputMode="numeric"
                placeholder={
                  options.nat
                    ? options.natPort
                    : String(profile.checkPort ?? profile.ssh?.port ?? profile.rdp?.port ?? '')
                }
                onChange={(port) => set({ port })}
                error={messages.get('port')}
              />
              <TextField
                label="Set name"
                value={options.setName}
                placeholder={`sesame-${slugOf(profile.name)}`}
                onChange={(setName) => set({ setName })}
                error={messages.get('setName')}
                hint="The ipset or nftables set of the addresses let in."
              />
              <TextField
                label="Close again after (seconds)"
                value={options.stopAfter}
                inputMode="numeric"
                placeholder="never"
                onChange={(stopAfter) => set({ stopAfter })}
                error={messages.get('stopAfterSeconds')}
                hint="knockd's stop_command: the address leaves the set again."
              />
            </div>
            <Checkbox
              label="Forward to a machine on the LAN (NAT)"
              checked={options.nat}
              onChange={(nat) => set({ nat })}
              hint="For a Remote Desktop behind this server, for example: the door opens a forward to its RDP port."
            />
            {options.nat && (
              <div className="grid two">
                <TextField
                  label="LAN machine (IPv4)"
                  value={options.natHost}
                  placeholder="192.168.1.20"
                  onChange={(natHost) => set({ natHost })}
                  error={options.natHost === '' ? undefined : messages.get('nat.host')}
                />
                <TextField
                  label="LAN port"
                  value={options.natPort}
                  inputMode="numeric"
                  onChange={(natPort) => set({ natPort })}
                  error={messages.get('nat.port')}
                />
              </div>
            )}
          </>
        )}
      </fieldset>

      <div className={shownSecret ? 'reveal-bar revealed' : 'reveal-bar'} role="status">
        <Icon name={shownSecret ? 'eye' : 'key'} />
        <span>
          {shownSecret
            ? `The ${secretWord} is shown below in clear. Hide it once it is on the server.`
            : `The ${secretWord} is a placeholder below, so you can read the setup first.`}
        </span>
        {revealed ? (
          <button type="button" className="button" onClick={hide}>
            Hide the {secretWord}
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setRevealed(true)}>
            <Icon name="eye" /> Show the {secretWord}
          </button>
        )}
      </div>

      {failure !== undefined && (
        <div className="banner banner-error" role="alert">
          {failure}
        </div>
      )}
      {setup !== undefined && setup.warnings.length > 0 && (
        <ul className="issues" aria-label="Warnings">
          {setup.warnings.map((warning) => (
            <Note key={warning} severity="warning">
              {warning}
            </Note>
          ))}
        </ul>
      )}
      {setup === undefined ? (
        failure === undefined && (
          <p className="muted">
            {valid ? 'Writing the setup…' : 'Correct the options above to see the setup.'}
          </p>
        )
      ) : (
        <ol className="setup-blocks" aria-label="Setup steps">
          {setup.blocks.map((block) => (
            <SetupBlock key={block.id} block={block} revealed={revealed} />
          ))}
        </ol>
      )}
    </section>
  );
}
