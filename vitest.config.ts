import { defineConfig } from 'vitest/config';

// Three layers, one command: `npm test` runs them all.
//  - unit: pure logic and loopback-only tests; run anywhere, in parallel.
//  - integration: core parts against real local servers (HTTP, HTTPS, DNS stand-ins on
//    127.0.0.1 and ::1); run anywhere, in parallel.
//  - peers: real knockd/fwknopd/iptables in network namespaces; need root; one file at a time,
//    because they share the machine's process table and take seconds each.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'peers',
          include: ['test/peers/**/*.test.ts'],
          globalSetup: ['test/peers/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
