import { defineConfig } from 'vitest/config';

// Two layers, one command: `npm test` runs both.
//  - unit: pure logic and loopback-only tests; run anywhere, in parallel.
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
