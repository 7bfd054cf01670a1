import { useState } from 'react';
import { Checkbox, SelectField, TextField } from '../../../ui/field.js';
import { Icon } from '../../../ui/icons.js';
import {
  ALLOW_IP_MODES,
  DIGEST_TYPES,
  ENCRYPTION_MODES,
  generateSpaKeys,
  SPA_TRANSPORTS,
  type SpaFormState,
} from './spa-options.js';

interface SpaSectionProps {
  readonly spa: SpaFormState;
  readonly onChange: (patch: Partial<SpaFormState>) => void;
  /** Field → message, paths as `method.accessPorts`, `secret.keyBase64`. */
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
  address: 'This address (-a)',
};

/** The fwknop options of a door opened by Single Packet Authorization. */
export function SpaSection({
  spa,
  onChange,
  error,
  touch,
  keysStored,
  replaceKeys,
  onReplaceKeys,
}: SpaSectionProps) {
  const [showKeys, setShowKeys] = useState(false);
  const options = <T extends string>(values: readonly T[]) =>
    values.map((value) => ({ value, label: value.toUpperCase().replace('_', '-') }));
  return (
    <>
      <div className="grid two">
        <TextField
          label="Access ports"
          value={spa.accessPorts}
          onChange={(accessPorts) => onChange({ accessPorts })}
          onBlur={() => touch('method.accessPorts')}
          error={error('method.accessPorts')}
          hint="What fwknopd opens: tcp/22, or several: tcp/22, tcp/3389"
        />
        <SelectField
          label="Allow which address"
          value={spa.allowIpMode}
          options={ALLOW_IP_MODES.map((value) => ({ value, label: ALLOW_LABELS[value] }))}
          onChange={(allowIpMode) => onChange({ allowIpMode })}
        />
        {spa.allowIpMode === 'address' && (
          <TextField
            label="Address to allow"
            value={spa.allowIpAddress}
            onChange={(allowIpAddress) => onChange({ allowIpAddress })}
            onBlur={() => touch('method.allowIp.address')}
            error={error('method.allowIp.address')}
          />
        )}
      </div>
      <Checkbox
        label="Reach a machine behind the gateway (NAT access)"
        checked={spa.natEnabled}
        onChange={(natEnabled) => onChange({ natEnabled })}
        hint="fwknop --nat-access: the gateway forwards to an internal machine, like the article's RDP host."
      />
      {spa.natEnabled && (
        <div className="grid two">
          <TextField
            label="Internal address"
            value={spa.natHost}
            onChange={(natHost) => onChange({ natHost })}
            onBlur={() => touch('method.natAccess.host')}
            error={error('method.natAccess.host')}
          />
          <TextField
            label="Internal port"
            value={spa.natPort}
            inputMode="numeric"
            onChange={(natPort) => onChange({ natPort })}
            onBlur={() => touch('method.natAccess.port')}
            error={error('method.natAccess.port')}
          />
        </div>
      )}
      <div className="grid three">
        <SelectField
          label="Send over"
          value={spa.transport}
          options={options(SPA_TRANSPORTS)}
          onChange={(transport) => onChange({ transport })}
        />
        <TextField
          label="Server port"
          value={spa.serverPort}
          inputMode="numeric"
          onChange={(serverPort) => onChange({ serverPort })}
          onBlur={() => touch('method.serverPort')}
          error={error('method.serverPort')}
        />
        <TextField
          label="Rule timeout (s)"
          value={spa.clientTimeout}
          inputMode="numeric"
          placeholder="server default"
          onChange={(clientTimeout) => onChange({ clientTimeout })}
          onBlur={() => touch('method.clientTimeoutSeconds')}
          error={error('method.clientTimeoutSeconds')}
        />
        <SelectField
          label="Digest"
          value={spa.digestType}
          options={options(DIGEST_TYPES)}
          onChange={(digestType) => onChange({ digestType })}
        />
        <SelectField
          label="HMAC digest"
          value={spa.hmacDigestType}
          options={options(DIGEST_TYPES)}
          onChange={(hmacDigestType) => onChange({ hmacDigestType })}
        />
        <SelectField
          label="Encryption mode"
          value={spa.encryptionMode}
          options={options(ENCRYPTION_MODES)}
          onChange={(encryptionMode) => onChange({ encryptionMode })}
        />
        <TextField
          label="Time offset (s)"
          value={spa.timeOffset}
          placeholder="0"
          onChange={(timeOffset) => onChange({ timeOffset })}
          onBlur={() => touch('method.timeOffsetSeconds')}
          error={error('method.timeOffsetSeconds')}
        />
      </div>
      <Checkbox
        label="Send from and to a random port"
        checked={spa.randPort}
        onChange={(randPort) => onChange({ randPort })}
        hint="fwknop --rand-port; the server must capture all UDP for it."
      />
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
                onBlur={() => touch('secret.keyBase64')}
                error={error('secret.keyBase64')}
              />
              <TextField
                label="HMAC key (base64)"
                type={showKeys ? 'text' : 'password'}
                value={spa.hmacKey}
                onChange={(hmacKey) => onChange({ hmacKey })}
                onBlur={() => touch('secret.hmacKeyBase64')}
                error={error('secret.hmacKeyBase64')}
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
    </>
  );
}
