import { SpaError } from './spa-error.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A time offset as fwknop takes it (`--time-offset-plus 60min`, `TIME_OFFSET -2d`): a number of
 * seconds, or with a unit: `m`/`min`, `h`/`hours`, `d`/`days`, `s`/`sec`. Returns seconds; a
 * leading `-` (TIME_OFFSET only) makes it negative.
 */
export function parseTimeOffset(text: string, allowSign = false): number {
  const match = /^(-?)(\d{1,8})\s*([a-z]*)$/i.exec(text.trim());
  const unit = (match?.[3] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit[0] ?? ''];
  const known = /^(s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?$/.test(unit);
  if (!match || factor === undefined || !known || (match[1] === '-' && !allowSign)) {
    throw new SpaError(
      `"${text}" is not a time offset (seconds, or a number with min, h or d: 90, 10min, 2h, 1d)`,
    );
  }
  const seconds = Number(match[2]) * factor;
  return match[1] === '-' ? -seconds : seconds;
}
