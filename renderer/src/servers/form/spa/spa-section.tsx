import { useState } from 'react';
import { Checkbox, SelectField, TextField } from '../../../ui/field.js';
import { Icon } from '../../../ui/icons.js';
import {
  ALLOW_IP_MODES,
  DIGEST_TYPES,
  ENCRYPTION_MODES,
  generateSpaKeys,
  NAT_MODES,
  SPA_TRANSPORTS,
  type SpaFormState,
} from './spa-options.js';

interface SpaSectionProps {
  readonly spa: SpaFormState;
  readonly onChange: (patch: Partial<SpaFormState>) => void;
  /** Field → message, paths as the core's schemas name them: `method.access`, `secret.hmacKeyBase64`. */
  readonly error: (path: string) => string | undefined;
  readonly touch: (path: string) => void;
  /** Editing with keys stored: they are kept unless new ones are entered. */
  readonly keysStored: boolean;
  readonly replaceKeys: boolean;
  readonly onReplaceKeys: () => void;
}

const ALLOW_LABELS: Record<(typeof ALLOW_IP_MODES)[number], string> = {
  resolve: 'My public IP, as Sesame sees it (-R)',
  source: "The packet's source address (-s)",
  address: 'This IPv4 address (-a)',
};
const NAT_LABELS: Record<(typeof NAT_MODES)[number], string> = {
  none: 'No NAT',
  forward: 'Forward to a LAN host (-N)',
  local: 'A port of the server (--nat-local)',
};
const upper = <T extends string>(values: readonly T[]) =>
  values.map((value) => ({ value, label: value.toUpperCase().replace('_', '-') }));

/** The fwknop options of a door opened by Single Packet Authorization. */
export function SpaSection(props: SpaSectionProps) {
  const { spa, onChange, error, touch } = props;
  const text = (label: string, key: keyof SpaFormState, path: string, extra = {}) => (
    <TextField
      label={label}
      value={spa[key] as string}
      onChange={(value) => onChange({ [key]: value })}
      onBlur={() => touch(path)}
      error={error(path)}
      {...extra}
    />
  );
  return (
    <>
      <div className="grid two">
        {text('Access ports', 'access', 'method.access', {
          hint: 'What fwknopd opens: tcp/22, or several: tcp/22, udp/53',
        })}
        <SelectField
          label="Allow which address"
          value={spa.allowIpMode}
          options={ALLOW_IP_MODES.map((value) => ({ value, label: ALLOW_LABELS[value] }))}
          onChange={(allowIpMode) => onChange({ allowIpMode })}
        />
        {spa.allowIpMode === 'address' &&
          text('Address to allow', 'allowIpAddress', 'method.allowIp.address')}
      </div>
      <div className="grid three">
        <SelectField
          label="NAT access"
          value={spa.natMode}
          options={NAT_MODES.map((value) => ({ value, label: NAT_LABELS[value] }))}
          onChange={(natMode) => onChange({ natMode })}
          hint="Like the article's RDP machine on the LAN."
        />
        {spa.natMode === 'forward' && text('Internal host', 'natHost', 'method.nat.host')}
        {spa.natMode === 'forward' &&
          text('Internal port', 'natHostPort', 'method.nat.port', {
            inputMode: 'numeric',
            placeholder: 'the access port',
          })}
        {spa.natMode !== 'none' &&
          text('NAT port (--nat-port)', 'natPort', 'method.natPort', {
            inputMode: 'numeric',
            placeholder: 'the access port',
          })}
      </div>
      {spa.natMode !== 'none' && (
        <Checkbox
          label="A random NAT port for every packet (--nat-rand-port)"
          checked={spa.natRandPort}
          onChange={(natRandPort) => {
            onChange({ natRandPort });
            touch('method.natRandPort');
          }}
        />
      )}
      {error('method.natRandPort') !== undefined && (
        <p className="error-text">{error('method.natRandPort')}</p>
      )}
      <div className="grid three">
        <SelectField
          label="Send over"
          value={spa.transport}
          options={upper(SPA_TRANSPORTS)}
          onChange={(transport) => onChange({ transport })}
        />
        {text('Server port', 'serverPort', 'method.serverPort', { inputMode: 'numeric' })}
        {text('Rule timeout (s)', 'clientTimeout', 'method.clientTimeout', {
          inputMode: 'numeric',
          placeholder: "the server's",
        })}
        <SelectField
          label="Digest"
          value={spa.digestType}
          options={upper(DIGEST_TYPES)}
          onChange={(digestType) => onChange({ digestType })}
        />
        <SelectField
          label="HMAC digest"
          value={spa.hmacDigestType}
          options={upper(DIGEST_TYPES)}
          onChange={(hmacDigestType) => onChange({ hmacDigestType })}
        />
        <SelectField
          label="Encryption mode"
          value={spa.encryptionMode}
          options={upper(ENCRYPTION_MODES)}
          onChange={(encryptionMode) => onChange({ encryptionMode })}
        />
        {text('Time offset (s)', 'timeOffset', 'method.timeOffsetSeconds', { placeholder: '0' })}
        {text('User in the packet (-U)', 'username', 'method.username', {
          placeholder: 'your user name',
        })}
        {spa.transport === 'http' &&
          text('HTTP User-Agent', 'httpUserAgent', 'method.httpUserAgent')}
      </div>
      <Checkbox
        label="Send to a random port (--rand-port)"
        checked={spa.randPort}
        onChange={(randPort) => {
          onChange({ randPort });
          touch('method.randPort');
        }}
        hint="UDP only; fwknopd must capture all UDP for it."
      />
      {error('method.randPort') !== undefined && (
        <p className="error-text">{error('method.randPort')}</p>
      )}
      <SpaKeys {...props} />
    </>
  );
}

function SpaKeys({
  spa,
  onChange,
  error,
  touch,
  keysStored,
  replaceKeys,
  onReplaceKeys,
}: SpaSectionProps) {
  const [showKeys, setShowKeys] = useState(false);
  return (
    <fieldset className="subsection">
      <legend>Keys</legend>
      {keysStored && !replaceKeys ? (
        <div className="stored">
          <Icon name="key" /> <span>Keys stored in the keychain.</span>
          <button type="button" className="button" onClick={onReplaceKeys}>
            Enter new keys
          </button>
        </div>
      ) : (
        <>
          <div className="grid two">
            <TextField
              label="Encryption key (base64)"
              type={showKeys ? 'text' : 'password'}
              value={spa.key}
              onChange={(key) => onChange({ key })}
              onBlur={() => touch('secret.encryptionKeyBase64')}
              error={error('secret.encryptionKeyBase64')}
            />
            <TextField
              label="HMAC key (base64)"
              type={showKeys ? 'text' : 'password'}
              value={spa.hmacKey}
              onChange={(hmacKey) => onChange({ hmacKey })}
              onBlur={() => touch('secret.hmacKeyBase64')}
              error={error('secret.hmacKeyBase64')}
              hint={spa.encryptionMode === 'legacy' ? 'Legacy mode takes no HMAC key.' : undefined}
            />
          </div>
          <div className="sequence-tools">
            <button
              type="button"
              className="button"
              aria-pressed={showKeys}
              onClick={() => setShowKeys(!showKeys)}
            >
              <Icon name="eye" /> {showKeys ? 'Hide keys' : 'Show keys'}
            </button>
            <button type="button" className="button" onClick={() => onChange(generateSpaKeys())}>
              <Icon name="dice" /> Generate keys
            </button>
          </div>
          <p className="hint">
            The keys go to the keychain when you save and are never shown again; put the same ones
            in the server&apos;s access.conf (KEY_BASE64, HMAC_KEY_BASE64).
          </p>
        </>
      )}
    </fieldset>
  );
}
