/**
 * How long a passphrase that seals secrets may be. No Node module here: the window's forms check
 * the same bounds (through the contract) before anything is sent.
 */
export const MIN_PASSPHRASE_LENGTH = 8;
export const MAX_PASSPHRASE_LENGTH = 1024;
