import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { parseOneTimeSequences } from '../../../../src/knock/one-time-sequences.js';
import type { ServerView } from '../../../../src/api/view-schemas.js';
import { messageOf } from '../../api/call-error.js';
import { useCore } from '../../state/core-context.js';
import { Checkbox, FieldShell, SelectField, TextField } from '../../ui/field.js';
import { Icon } from '../../ui/icons.js';
import { useToast } from '../../ui/toasts.js';
import {
  emptyForm,
  type FormState,
  formFromProfile,
  toDraft,
  toSecret,
  validate,
} from './form-model.js';
import { OneTimeList } from './one-time-list.js';
import { SequenceEditor } from './sequence-editor.js';
import { SpaSection } from './spa/spa-section.js';

interface ServerFormProps {
  /** The server to edit; absent to add one. */
  readonly editing?: ServerView;
  readonly onDone: () => void;
}

/**
 * Add or edit a server. Every field is checked by the core's own schemas as it is typed; the
 * message shows once the field has been left (or on "Show what is missing"), and Save stays off
 * until everything is valid. Secrets are sent once: when editing, a stored sequence or key is
 * only said to exist, never shown.
 */
export function ServerForm({ editing, onDone }: ServerFormProps) {
  const { api } = useCore();
  const toast = useToast();
  const [state, setState] = useState<FormState>(() =>
    editing === undefined ? emptyForm() : formFromProfile(editing.profile),
  );
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const validation = useMemo(() => validate(state), [state]);
  const secretStored = editing !== undefined && editing.status.secret === 'stored';
  // The form replaces the list: start keyboard and screen reader users at its title.
  useEffect(() => heading.current?.focus(), []);

  const set = (patch: Partial<FormState>) => setState((current) => ({ ...current, ...patch }));
  const touch = (path: string) => setTouched((current) => new Set(current).add(path));
  const error = (path: string) =>
    showAll || touched.has(path) ? validation.errors.get(path) : undefined;
  const field = (path: string) => ({ onBlur: () => touch(path), error: error(path) });
  const oneTimeCount = useMemo(() => {
    try {
      return parseOneTimeSequences(state.oneTimeText).length;
    } catch {
      return 0;
    }
  }, [state.oneTimeText]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!validation.valid || saving) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const draft = toDraft(state);
      const secret = toSecret(state);
      const saved =
        editing === undefined
          ? await api.invoke('servers.add', { draft, ...(secret && { secret }) })
          : await api.invoke('servers.update', {
              id: editing.profile.id,
              draft,
              ...(secret && { secret }),
            });
      if (saved.secretWarning !== undefined)
        toast(`Saved ${saved.server.name}, but ${saved.secretWarning}`, 'warning');
      else toast(`Saved ${saved.server.name}.`, 'success');
      onDone();
    } catch (problem) {
      setSaveError(messageOf(problem));
      heading.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  const title = editing === undefined ? 'Add a server' : `Edit ${editing.profile.name}`;
  const problems = validation.errors.size;
  return (
    <form
      className="server-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="form-title"
    >
      <header className="page-header">
        <div>
          <h1 id="form-title" ref={heading} tabIndex={-1}>
            {title}
          </h1>
          <p className="subtitle">
            Sequences and keys go to your keychain, never to the settings file.
          </p>
        </div>
      </header>
      {saveError !== undefined && (
        <div className="banner banner-error" role="alert">
          <strong>Not saved:</strong> {saveError}
        </div>
      )}

      <fieldset className="section">
        <legend>Server</legend>
        <div className="grid two">
          <TextField
            label="Name"
            value={state.name}
            onChange={(name) => set({ name })}
            {...field('name')}
            placeholder="office-gateway"
          />
          <TextField
            label="Host"
            value={state.host}
            onChange={(host) => set({ host })}
            {...field('host')}
            placeholder="gateway.example.com or 203.0.113.7"
          />
          <SelectField
            label="Address family"
            value={state.family}
            options={[
              { value: 'auto', label: 'Automatic' },
              { value: 'ipv4', label: 'IPv4 only' },
              { value: 'ipv6', label: 'IPv6 only' },
            ]}
            onChange={(family) => set({ family })}
          />
          <TextField
            label="Tags"
            value={state.tags}
            onChange={(tags) => set({ tags })}
            {...field('tags')}
            placeholder="office, home"
            hint="Separated by commas."
          />
        </div>
      </fieldset>

      <fieldset className="section">
        <legend>How to open the door</legend>
        <div className="segmented" role="radiogroup" aria-label="Method">
          {(['knock', 'spa'] as const).map((method) => (
            <label
              key={method}
              className={state.method === method ? 'segment selected' : 'segment'}
            >
              <input
                type="radio"
                name="method"
                value={method}
                checked={state.method === method}
                onChange={() =>
                  set({
                    method,
                    replaceSecret:
                      editing === undefined ||
                      editing.profile.method.kind !== method ||
                      state.replaceSecret,
                  })
                }
              />
              {method === 'knock'
                ? 'Port knocking (knockd)'
                : 'Single Packet Authorization (fwknop)'}
            </label>
          ))}
        </div>
        {state.method === 'knock' ? (
          <KnockFields
            state={state}
            set={set}
            field={field}
            error={error}
            showAll={showAll}
            secretStored={secretStored}
            oneTimeCount={oneTimeCount}
          />
        ) : (
          <SpaSection
            spa={state.spa}
            onChange={(patch) => set({ spa: { ...state.spa, ...patch } })}
            error={error}
            touch={touch}
            keysStored={secretStored && editing?.profile.method.kind === 'spa'}
            replaceKeys={state.replaceSecret}
            onReplaceKeys={() => set({ replaceSecret: true })}
          />
        )}
      </fieldset>

      <fieldset className="section">
        <legend>Check that it opened</legend>
        <div className="grid two">
          <TextField
            label="Check port"
            value={state.checkPort}
            inputMode="numeric"
            onChange={(checkPort) => set({ checkPort })}
            {...field('checkPort')}
            hint="After knocking, Sesame connects here to see the door open. Empty: no check."
          />
          <TextField
            label="Check timeout (ms)"
            value={state.checkTimeoutMs}
            inputMode="numeric"
            placeholder="3000"
            onChange={(checkTimeoutMs) => set({ checkTimeoutMs })}
            {...field('checkTimeoutMs')}
          />
        </div>
      </fieldset>

      <fieldset className="section">
        <legend>SSH and RDP</legend>
        <div className="grid three">
          <TextField
            label="SSH user"
            value={state.sshUser}
            onChange={(sshUser) => set({ sshUser })}
            {...field('ssh.user')}
            placeholder="your user name"
            autoComplete="username"
          />
          <TextField
            label="SSH port"
            value={state.sshPort}
            inputMode="numeric"
            onChange={(sshPort) => set({ sshPort })}
            {...field('ssh.port')}
          />
          <TextField
            label="Identity file"
            value={state.sshIdentityFile}
            onChange={(sshIdentityFile) => set({ sshIdentityFile })}
            {...field('ssh.identityFile')}
            placeholder="~/.ssh/id_ed25519"
          />
        </div>
        <FieldShell
          label="Extra ssh arguments"
          error={error('ssh.extraArgs')}
          hint="One argument a line, e.g. -o and then ServerAliveInterval=30."
        >
          {({ id, describedBy }) => (
            <textarea
              id={id}
              rows={2}
              value={state.sshExtraArgs}
              spellCheck={false}
              aria-invalid={error('ssh.extraArgs') !== undefined}
              aria-describedby={describedBy}
              onChange={(event) => set({ sshExtraArgs: event.target.value })}
              onBlur={() => touch('ssh.extraArgs')}
            />
          )}
        </FieldShell>
        <Checkbox
          label="This server has a Remote Desktop (RDP) port"
          checked={state.rdpEnabled}
          onChange={(rdpEnabled) => set({ rdpEnabled })}
        />
        {state.rdpEnabled && (
          <div className="grid two">
            <TextField
              label="RDP port"
              value={state.rdpPort}
              inputMode="numeric"
              onChange={(rdpPort) => set({ rdpPort })}
              {...field('rdp.port')}
            />
            <TextField
              label="RDP user"
              value={state.rdpUser}
              onChange={(rdpUser) => set({ rdpUser })}
              {...field('rdp.user')}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="section">
        <legend>By itself</legend>
        <Checkbox
          label="Knock again when my public IP changes"
          checked={state.onIpChange}
          onChange={(onIpChange) => set({ onIpChange })}
          hint="A new network (office, hotel, hotspot) means the door no longer knows you."
        />
        <Checkbox
          label="Knock when Sesame starts"
          checked={state.atStart}
          onChange={(atStart) => set({ atStart })}
        />
        <TextField
          label="Keep open: knock again every (minutes)"
          value={state.keepAliveMinutes}
          inputMode="numeric"
          placeholder="never"
          onChange={(keepAliveMinutes) => set({ keepAliveMinutes })}
          {...field('auto.keepAliveMinutes')}
          className="narrow"
        />
      </fieldset>

      <footer className="form-footer">
        <div className="form-status" aria-live="polite">
          {problems > 0 && (
            <>
              <span>
                {problems === 1 ? 'One field needs' : `${problems} fields need`} attention before
                saving.
              </span>{' '}
              {!showAll && (
                <button type="button" className="link-button" onClick={() => setShowAll(true)}>
                  Show what is missing
                </button>
              )}
            </>
          )}
        </div>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={!validation.valid || saving}>
          <Icon name="open" />{' '}
          {saving ? 'Saving…' : editing === undefined ? 'Add server' : 'Save changes'}
        </button>
      </footer>
    </form>
  );
}

interface KnockFieldsProps {
  readonly state: FormState;
  readonly set: (patch: Partial<FormState>) => void;
  readonly field: (path: string) => { onBlur: () => void; error: string | undefined };
  readonly error: (path: string) => string | undefined;
  readonly showAll: boolean;
  readonly secretStored: boolean;
  readonly oneTimeCount: number;
}

function KnockFields({
  state,
  set,
  field,
  error,
  showAll,
  secretStored,
  oneTimeCount,
}: KnockFieldsProps) {
  const keepStored = secretStored && !state.replaceSecret;
  return (
    <>
      <Checkbox
        label="One-time sequences (knockd's one_time_sequences)"
        checked={state.oneTime}
        onChange={(oneTime) => set({ oneTime })}
        hint="Each knock uses a new sequence from a list; needs a check port."
      />
      {keepStored ? (
        <div className="stored">
          <Icon name="key" />{' '}
          <span>{state.oneTime ? 'Sequence list' : 'Sequence'} stored in the keychain.</span>
          <button type="button" className="button" onClick={() => set({ replaceSecret: true })}>
            Enter a new {state.oneTime ? 'list' : 'sequence'}
          </button>
        </div>
      ) : state.oneTime ? (
        <OneTimeList
          text={state.oneTimeText}
          onChange={(oneTimeText) => set({ oneTimeText })}
          error={error('secret.oneTimeSequences')}
          count={oneTimeCount}
        />
      ) : (
        <SequenceEditor
          hits={state.hits}
          onChange={(hits) => set({ hits })}
          error={error('secret.sequence')}
          showErrors={showAll || state.hits.some((row) => row.port !== '')}
        />
      )}
      <div className="grid two">
        <TextField
          label="Delay between hits (ms)"
          value={state.delayMs}
          inputMode="numeric"
          placeholder="0"
          onChange={(delayMs) => set({ delayMs })}
          {...field('method.delayMs')}
        />
        <TextField
          label="knockd seq_timeout (s)"
          value={state.seqTimeoutSeconds}
          inputMode="numeric"
          placeholder="25"
          onChange={(seqTimeoutSeconds) => set({ seqTimeoutSeconds })}
          {...field('method.seqTimeoutSeconds')}
          hint="As in the server's knockd.conf; a retry waits this long."
        />
      </div>
    </>
  );
}
