import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_STATES, trayIconFile } from '../../electron/tray-state.js';
import {
  APP_ICO_SIZES,
  BUILD_DIR,
  ICNS_TYPES,
  icnsFile,
  icoFile,
  LINUX_APP_SIZES,
  renderAll,
  svgFor,
  TRAY_ICON_STATES,
  WINDOWS_TRAY_SIZES,
} from '../../scripts/make-icons.js';

function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

function icoSizes(ico: Buffer): number[] {
  expect(ico.readUInt16LE(2)).toBe(1);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const png = ico.subarray(
      ico.readUInt32LE(entry + 12),
      ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
    );
    const [width] = pngSize(png);
    expect(ico.readUInt8(entry) || 256).toBe(width);
    return width;
  });
}

function icnsTypes(icns: Buffer): { type: string; size: number }[] {
  expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const found: { type: string; size: number }[] = [];
  for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
    const png = icns.subarray(at + 8, at + icns.readUInt32BE(at + 4));
    found.push({ type: icns.subarray(at, at + 4).toString('latin1'), size: pngSize(png)[0] });
  }
  return found;
}

const build = (name: string) => readFileSync(join(BUILD_DIR, name));

describe('the icons in build/', () => {
  it('cover every tray state the shell knows', () => {
    expect([...TRAY_ICON_STATES].sort()).toEqual([...TRAY_STATES].sort());
  });

  it.each(TRAY_STATES)(
    '"%s": a template image, an .ico and a PNG, at the needed sizes',
    (state) => {
      const mac = trayIconFile(state, 'darwin');
      expect(mac).toMatch(/Template\.png$/);
      expect(pngSize(build(`tray/${mac}`))).toEqual([16, 16]);
      expect(pngSize(build(`tray/${mac.replace('.png', '@2x.png')}`))).toEqual([32, 32]);
      expect(icoSizes(build(`tray/${trayIconFile(state, 'win32')}`))).toEqual([
        ...WINDOWS_TRAY_SIZES,
      ]);
      const linux = trayIconFile(state, 'linux');
      expect(pngSize(build(`tray/${linux}`))).toEqual([24, 24]);
      expect(pngSize(build(`tray/${linux.replace('.png', '@2x.png')}`))).toEqual([48, 48]);
    },
  );

  it('are the ones the source draws today (npm run icons makes them)', () => {
    const source = readFileSync(join(BUILD_DIR, 'icon-source.svg'), 'utf8');
    for (const [name, data] of renderAll(source, false)) {
      expect(Buffer.compare(build(name), data), `${name} is out of date: run npm run icons`).toBe(
        0,
      );
    }
  });

  it('include the application icon for every system', () => {
    expect(pngSize(build('icon.png'))).toEqual([1024, 1024]);
    expect(icoSizes(build('icon.ico'))).toEqual([...APP_ICO_SIZES]);
    expect(icnsTypes(build('icon.icns'))).toEqual(
      ICNS_TYPES.map(({ type, pixels }) => ({ type, size: pixels })),
    );
    for (const size of LINUX_APP_SIZES) {
      expect(pngSize(build(`icons/${size}x${size}.png`))).toEqual([size, size]);
    }
  });

  it('keep only the lines of the state asked for, in its colours or in black', () => {
    const source = readFileSync(join(BUILD_DIR, 'icon-source.svg'), 'utf8');
    const open = svgFor(source, 'open', false);
    expect(open).toContain('#2E9E44');
    expect(open).not.toContain('data-states="problem"');
    expect(open).not.toContain('#DOOR');
    expect(svgFor(source, 'open', true)).not.toMatch(/#(?!000000|fff"|000")[0-9A-F]{6}/i);
    expect(svgFor(source, 'app', false)).not.toContain('data-states="idle');
    expect(existsSync(join(BUILD_DIR, 'tray', 'tray-appTemplate.png'))).toBe(false);
  });
});

describe('the icon file formats', () => {
  it('write an .ico directory that points at each image', () => {
    const a = Buffer.from('first');
    const b = Buffer.from('second image');
    const ico = icoFile([
      { size: 16, png: a },
      { size: 256, png: b },
    ]);
    expect(ico.readUInt16LE(4)).toBe(2);
    expect(ico.readUInt8(6)).toBe(16);
    expect(ico.readUInt8(6 + 16)).toBe(0);
    expect(ico.subarray(ico.readUInt32LE(6 + 12), ico.readUInt32LE(6 + 12) + 5)).toEqual(a);
    expect(ico.subarray(ico.readUInt32LE(22 + 12))).toEqual(b);
  });

  it('write an .icns whose lengths add up', () => {
    const icns = icnsFile([
      { type: 'ic07', png: Buffer.from('abc') },
      { type: 'ic08', png: Buffer.from('defgh') },
    ]);
    expect(icns.length).toBe(8 + 11 + 13);
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.subarray(8, 12).toString('latin1')).toBe('ic07');
    expect(icns.readUInt32BE(12)).toBe(11);
    expect(icns.subarray(27, 32).toString()).toBe('defgh');
  });
});
