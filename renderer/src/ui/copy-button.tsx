import { useEffect, useState } from 'react';
import { Icon } from './icons.js';
import { useToast } from './toasts.js';

interface CopyButtonProps {
  readonly text: string;
  /** The accessible name, saying what is copied ("Copy the link"). */
  readonly label: string;
  readonly className?: string;
}

/** Copies `text` and says so on the button for a moment; the text itself is never shown in a message. */
export function CopyButton({ text, label, className = 'button' }: CopyButtonProps) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => toast('Could not copy: the clipboard is not available here.', 'error'),
    );
  };
  return (
    <button type="button" className={className} onClick={copy} aria-label={label}>
      <Icon name={copied ? 'open' : 'copy'} />
      <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
    </button>
  );
}
