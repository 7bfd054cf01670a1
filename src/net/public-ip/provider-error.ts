/**
 * Why one provider gave no usable answer. `kind` groups the reasons for code (backoff, tests);
 * `message` is short and says what happened in words a person understands, since `sesame ip`
 * and the tray show it as is: `timeout after 3 s`, `answered a private address (10.0.0.1)`.
 */
export type ProviderFailureKind =
  | 'timeout'
  | 'network'
  | 'tls'
  | 'http-status'
  | 'dns-error'
  | 'too-large'
  | 'not-an-address'
  | 'wrong-family'
  | 'non-public';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Seconds when whole, else milliseconds: `3 s`, `1500 ms`. */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Turns a socket or TLS error into a ProviderError with a reason a person can act on. */
export function describeNetworkError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = typeof code === 'string' ? code : '';
  const plain: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable (no route for this family)',
    EADDRNOTAVAIL: 'no local address of this family',
    ENOTFOUND: 'host name not found for this family',
    EAI_AGAIN: 'host name lookup failed (no answer from DNS)',
    EPIPE: 'connection closed',
  };
  const known = plain[text];
  if (known !== undefined) return new ProviderError('network', known);
  if (/CERT|SSL|TLS|SELF_SIGNED|HOSTNAME/.test(text)) {
    return new ProviderError('tls', `TLS failed: ${text}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('network', text === '' ? message : `${message} (${text})`);
}
