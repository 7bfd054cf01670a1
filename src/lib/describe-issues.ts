import type { z } from 'zod';

/**
 * Turns schema issues into one line a person can act on: `host: "a b" is not a host name …;
 * ssh.port: a port is a number from 1 to 65535`.
 */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length - limit;
  return more > 0 ? `${lines.join('; ')} (and ${more} more)` : lines.join('; ');
}
