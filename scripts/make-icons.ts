// Renders every icon Sesame ships from build/icon-source.svg (run: npm run icons):
//   build/tray/tray-<state>Template.png, …@2x.png   macOS menu bar template images (16, 32 px)
//   build/tray/tray-<state>.ico                      Windows tray (16, 20, 24, 32, 40, 48 px)
//   build/tray/tray-<state>.png, …@2x.png            Linux tray (24, 48 px)
//   build/icon.png, build/icon.ico, build/icon.icns  the application (1024 px; 16–256; 16–1024)
//   build/icons/<n>x<n>.png                          Linux desktop icons (16–512 px)
// The tray copies under out/tray are made by scripts/build-electron.mjs.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const TRAY_ICON_STATES = ['empty', 'idle', 'open', 'knocking', 'problem'] as const;
export type IconState = (typeof TRAY_ICON_STATES)[number] | 'app';

/** Colours of the door and of the badge per state; template images are black. */
const COLOURS: Record<(typeof TRAY_ICON_STATES)[number], { door: string; badge: string }> = {
  empty: { door: '#8A8A8A', badge: '#8A8A8A' },
  idle: { door: '#7A7A7A', badge: '#7A7A7A' },
  open: { door: '#7A7A7A', badge: '#2E9E44' },
  knocking: { door: '#7A7A7A', badge: '#E0A100' },
  problem: { door: '#7A7A7A', badge: '#D93025' },
};

export const MAC_TRAY_SIZES = [16, 32] as const;
export const WINDOWS_TRAY_SIZES = [16, 20, 24, 32, 40, 48] as const;
export const LINUX_TRAY_SIZES = [24, 48] as const;
export const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
export const LINUX_APP_SIZES = [16, 32, 48, 64, 128, 256, 512] as const;

/** The source with only the lines of one state, in colour or as a template image. */
export function svgFor(source: string, state: IconState, template: boolean): string {
  const kept = source
    .split('\n')
    .filter((line) => {
      const states = /data-states="([^"]*)"/.exec(line)?.[1];
      return states === undefined || states.split(/\s+/).includes(state);
    })
    .join('\n');
  if (state === 'app') return kept;
  const colours = template ? { door: '#000000', badge: '#000000' } : COLOURS[state];
  return kept.replaceAll('#DOOR', colours.door).replaceAll('#BADGE', colours.badge);
}

export function renderPng(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

/** An .ico with PNG images (Windows Vista and later read them), smallest first. */
export function icoFile(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

/** The icns types that hold PNG data, by pixel size and scale. */
export const ICNS_TYPES: readonly { type: string; pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'icp6', pixels: 64 },
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 },
  { type: 'ic11', pixels: 32 },
  { type: 'ic12', pixels: 64 },
  { type: 'ic13', pixels: 256 },
  { type: 'ic14', pixels: 512 },
];

/** A macOS .icns: "icns", the total length, then each image as type, length and PNG data. */
export function icnsFile(images: readonly { type: string; png: Buffer }[]): Buffer {
  const parts = images.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4);
  return Buffer.concat([header, ...parts]);
}

/** Every file, by path relative to build/, with its contents. */
export function renderAll(source: string, withApp = true): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of TRAY_ICON_STATES) {
    const template = svgFor(source, state, true);
    const colour = svgFor(source, state, false);
    files.set(`tray/tray-${state}Template.png`, renderPng(template, MAC_TRAY_SIZES[0]));
    files.set(`tray/tray-${state}Template@2x.png`, renderPng(template, MAC_TRAY_SIZES[1]));
    files.set(
      `tray/tray-${state}.ico`,
      icoFile(WINDOWS_TRAY_SIZES.map((size) => ({ size, png: renderPng(colour, size) }))),
    );
    files.set(`tray/tray-${state}.png`, renderPng(colour, LINUX_TRAY_SIZES[0]));
    files.set(`tray/tray-${state}@2x.png`, renderPng(colour, LINUX_TRAY_SIZES[1]));
  }
  if (withApp) {
    const app = svgFor(source, 'app', false);
    files.set('icon.png', renderPng(app, 1024));
    files.set(
      'icon.ico',
      icoFile(APP_ICO_SIZES.map((size) => ({ size, png: renderPng(app, size) }))),
    );
    files.set(
      'icon.icns',
      icnsFile(ICNS_TYPES.map(({ type, pixels }) => ({ type, png: renderPng(app, pixels) }))),
    );
    for (const size of LINUX_APP_SIZES) {
      files.set(`icons/${size}x${size}.png`, renderPng(app, size));
    }
  }
  return files;
}

export const BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const source = readFileSync(join(BUILD_DIR, 'icon-source.svg'), 'utf8');
  const files = renderAll(source);
  for (const [name, data] of files) {
    const path = join(BUILD_DIR, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
  }
  console.log(`wrote ${files.size} icon files under build/`);
}
