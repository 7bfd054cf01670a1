import { MIN_PASSPHRASE_LENGTH } from '../../../src/formats/passphrase-rules.js';
import { TextField } from '../ui/field.js';

interface PassphrasePairProps {
  readonly passphrase: string;
  readonly confirm: string;
  readonly onPassphrase: (value: string) => void;
  readonly onConfirm: (value: string) => void;
  /** The messages to show now, by field ("passphrase", "confirm"). */
  readonly errors: (field: 'passphrase' | 'confirm') => string | undefined;
  readonly onBlur?: (field: 'passphrase' | 'confirm') => void;
}

/** A new passphrase that seals secrets, typed twice. */
export function PassphrasePair(props: PassphrasePairProps) {
  return (
    <div className="grid two">
      <TextField
        label="Passphrase"
        type="password"
        value={props.passphrase}
        onChange={props.onPassphrase}
        onBlur={() => props.onBlur?.('passphrase')}
        error={props.errors('passphrase')}
        hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. Without it, nobody can open the secrets.`}
        autoComplete="new-password"
      />
      <TextField
        label="Passphrase again"
        type="password"
        value={props.confirm}
        onChange={props.onConfirm}
        onBlur={() => props.onBlur?.('confirm')}
        error={props.errors('confirm')}
        autoComplete="new-password"
      />
    </div>
  );
}

/** The contract's messages for a sealing passphrase, and whether the second typing matches. */
export function passphraseMessages(
  contract: ReadonlyMap<string, string>,
  passphrase: string,
  confirm: string,
): Map<string, string> {
  const messages = new Map(contract);
  if (!messages.has('passphrase') && confirm !== passphrase)
    messages.set('confirm', 'the two passphrases differ');
  return messages;
}
