import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/engine/retry-policy.js';
import { knockMethodSchema, spaMethodSchema } from '../../../src/servers/server-profile.js';

const knock = knockMethodSchema.parse({ kind: 'knock', seqTimeoutSeconds: 25 });
const spa = spaMethodSchema.parse({ kind: 'spa', access: [{ protocol: 'tcp', port: 22 }] });

describe('retryDelayMs', () => {
  it("waits out knockd's seq_timeout after hits were sent, so the retry is not swallowed", () => {
    expect(retryDelayMs(knock, 2)).toBe(25_500);
    expect(retryDelayMs(knock, 3, true)).toBe(25_500);
  });

  it('uses plain backoff when no hit left (nothing can be alive on the server)', () => {
    expect(retryDelayMs(knock, 2, false)).toBe(1000);
    expect(retryDelayMs(knock, 3, false)).toBe(2000);
  });

  it('uses plain backoff for SPA, whose packets stand alone, capped at 30 s', () => {
    expect([2, 3, 4, 10].map((attempt) => retryDelayMs(spa, attempt))).toEqual([
      1000, 2000, 4000, 30_000,
    ]);
  });
});
