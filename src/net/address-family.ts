/** Which IP version to use for a server: whatever the name resolves to first, or one only. */
export type AddressFamily = 'auto' | 'ipv4' | 'ipv6';

export const ADDRESS_FAMILIES: readonly AddressFamily[] = ['auto', 'ipv4', 'ipv6'];

export function familyNumber(family: AddressFamily): 0 | 4 | 6 {
  return family === 'ipv4' ? 4 : family === 'ipv6' ? 6 : 0;
}
