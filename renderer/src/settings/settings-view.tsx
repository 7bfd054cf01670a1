import { type FormEvent, useState } from 'react';
import {
  parseProviderShorthand,
  providerList,
} from '../../../src/net/public-ip/provider-shorthand.js';
import type { ProviderSpecInput } from '../../../src/net/public-ip/provider-spec.js';
import { type Preferences, preferencesSchema } from '../../../src/store/settings-schema.js';
import { messageOf } from '../api/call-error.js';
import { useCore, useCoreState } from '../state/core-context.js';
import { Checkbox, SelectField, TextAreaField, TextField } from '../ui/field.js';
import { useToast } from '../ui/toasts.js';

/** Preferences: the public-IP providers and interval, notifications, start, commands, theme. */
export function SettingsView() {
  const preferences = useCoreState((s) => s.preferences);
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page-header">
        <div>
          <h1 id="settings-title">Settings</h1>
          <p className="subtitle">Switches apply at once; text fields when you save them.</p>
        </div>
      </header>
      {preferences === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <SettingsForm preferences={preferences} />
      )}
    </section>
  );
}

function SettingsForm({ preferences }: { preferences: Preferences }) {
  const { api, mode } = useCore();
  const toast = useToast();
  const update = (patch: Partial<Preferences>) =>
    api.invoke('settings.update', { patch }).then(
      () => true,
      (error: unknown) => {
        toast(`Not saved: ${messageOf(error)}`, 'error');
        return false;
      },
    );
  const notify = (key: keyof Preferences['notifications'], value: boolean) =>
    void update({ notifications: { ...preferences.notifications, [key]: value } });

  return (
    <>
      <fieldset className="section">
        <legend>Appearance</legend>
        <SelectField
          label="Theme"
          value={preferences.theme}
          options={[
            { value: 'system', label: 'Same as the system' },
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
          ]}
          onChange={(theme) => void update({ theme })}
          className="narrow"
        />
      </fieldset>
      <TextSettings preferences={preferences} update={update} />
      <fieldset className="section">
        <legend>Notifications</legend>
        <Checkbox
          label="When a door opens"
          checked={preferences.notifications.doorOpened}
          onChange={(v) => notify('doorOpened', v)}
        />
        <Checkbox
          label="When a knock fails"
          checked={preferences.notifications.knockFailed}
          onChange={(v) => notify('knockFailed', v)}
        />
        <Checkbox
          label="When my public IP changes"
          checked={preferences.notifications.publicIpChanged}
          onChange={(v) => notify('publicIpChanged', v)}
        />
      </fieldset>
      <fieldset className="section">
        <legend>Start</legend>
        <Checkbox
          label="Start Sesame when I log in"
          checked={preferences.launchAtLogin}
          onChange={(launchAtLogin) => void update({ launchAtLogin })}
          hint={mode === 'preview' ? 'Saved in the settings; the tray app applies it.' : undefined}
        />
        <Checkbox
          label="Take a private address as my public IP"
          checked={preferences.acceptPrivateIp}
          onChange={(acceptPrivateIp) => void update({ acceptPrivateIp })}
          hint="For doors inside a company network or VPN, where the server sees your private address."
        />
      </fieldset>
    </>
  );
}

/** A provider as one line: its URL when that says it all, else its JSON. */
function providerLine(spec: ProviderSpecInput): string {
  if (
    spec.kind === 'http' &&
    (spec.format ?? 'text') === 'text' &&
    (spec.ipv4 === undefined) !== (spec.ipv6 === undefined)
  ) {
    return spec.ipv4 ?? spec.ipv6 ?? '';
  }
  return JSON.stringify(spec);
}

const words = (list: readonly string[] | undefined) => (list ?? []).join(' ');
const split = (text: string) => text.split(/\s+/).filter(Boolean);

function TextSettings({
  preferences,
  update,
}: {
  preferences: Preferences;
  update: (patch: Partial<Preferences>) => Promise<boolean>;
}) {
  const [providers, setProviders] = useState(() =>
    (preferences.ipProviders ?? []).map(providerLine).join('\n'),
  );
  const [interval, setInterval] = useState(String(preferences.ipCheckIntervalMinutes));
  const [terminal, setTerminal] = useState(words(preferences.terminalCommand));
  const [rdp, setRdp] = useState(words(preferences.rdpCommand));
  const toast = useToast();

  const patch = (): { patch?: Partial<Preferences>; errors: Map<string, string> } => {
    const errors = new Map<string, string>();
    let ipProviders: Preferences['ipProviders'];
    const lines = providers
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    try {
      ipProviders =
        lines.length === 0 ? undefined : providerList(lines.map(parseProviderShorthand));
    } catch (error) {
      errors.set('ipProviders', messageOf(error));
    }
    const next = {
      ...preferences,
      ipProviders,
      ipCheckIntervalMinutes: /^\d+$/.test(interval.trim()) ? Number(interval) : Number.NaN,
      terminalCommand: terminal.trim() === '' ? undefined : split(terminal),
      rdpCommand: rdp.trim() === '' ? undefined : split(rdp),
    };
    const parsed = preferencesSchema.safeParse(next);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]);
        if (!errors.has(key))
          errors.set(
            key,
            key === 'ipCheckIntervalMinutes'
              ? 'a whole number of minutes, 1 to 1440'
              : issue.message,
          );
      }
    }
    return errors.size > 0 ? { errors } : { patch: next, errors };
  };
  const checked = patch();
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (checked.patch === undefined) return;
    void update(checked.patch).then((ok) => ok && toast('Settings saved.', 'success'));
  };
  const error = (key: string) => checked.errors.get(key);

  return (
    <form className="section-form" onSubmit={save} aria-label="Public IP and commands">
      <fieldset className="section">
        <legend>Public IP</legend>
        <TextAreaField
          label="IP providers"
          rows={4}
          value={providers}
          onChange={setProviders}
          error={error('ipProviders')}
          hint="One a line: an http(s):// URL that answers your address as text, a dns://server/name?type=A URL, or a JSON spec. Empty: the built-in providers."
        />
        <TextField
          label="Check every (minutes)"
          value={interval}
          inputMode="numeric"
          onChange={setInterval}
          error={error('ipCheckIntervalMinutes')}
          hint="When nothing on this machine changed; a network change is checked at once."
          className="narrow"
        />
      </fieldset>
      <fieldset className="section">
        <legend>Commands</legend>
        <TextField
          label="Terminal for SSH"
          value={terminal}
          onChange={setTerminal}
          error={error('terminalCommand')}
          placeholder="system default"
          hint={
            <>
              Words separated by spaces; <code>{'{command}'}</code> stands for the ssh command.
            </>
          }
        />
        <TextField
          label="RDP client"
          value={rdp}
          onChange={setRdp}
          error={error('rdpCommand')}
          placeholder="system default"
          hint={
            <>
              With <code>{'{host}'}</code>, <code>{'{port}'}</code> and <code>{'{user}'}</code>.
            </>
          }
        />
      </fieldset>
      <div className="form-footer">
        <button type="submit" className="button primary" disabled={checked.patch === undefined}>
          Save
        </button>
      </div>
    </form>
  );
}
