// Types for the parts of net-ping (a CommonJS package without its own types) that Sesame uses.
declare module 'net-ping' {
  export interface Session {
    pingHost(
      target: string,
      callback: (error: Error | null, target: string, sent: Date, received: Date) => void,
    ): void;
    close(): void;
  }
  export const NetworkProtocol: { IPv4: number; IPv6: number };
  export function createSession(options: {
    networkProtocol?: number;
    timeout?: number;
    retries?: number;
  }): Session;
  const netPing: { createSession: typeof createSession; NetworkProtocol: typeof NetworkProtocol };
  export default netPing;
}
