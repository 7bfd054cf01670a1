import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Starts Sesame when the person logs in, or stops doing so. */
export interface LoginItem {
  apply(enabled: boolean): void;
}

export interface LoginItemOptions {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly execPath: string;
  /** Electron's app.setLoginItemSettings (macOS and Windows). */
  readonly setLoginItemSettings: (settings: { openAtLogin: boolean }) => void;
  readonly home?: string;
}

export const AUTOSTART_FILE = 'sesame.desktop';

/**
 * macOS and Windows keep login items themselves (Electron's setLoginItemSettings: a login item,
 * a Run key). Linux desktops follow the XDG autostart folder, which Electron does not write, so
 * Sesame writes its own desktop entry there. An AppImage runs from a temporary mount, so the
 * entry names the AppImage file ($APPIMAGE), not the executable inside it.
 */
export function createLoginItem(options: LoginItemOptions): LoginItem {
  if (options.platform === 'darwin' || options.platform === 'win32') {
    return { apply: (enabled) => options.setLoginItemSettings({ openAtLogin: enabled }) };
  }
  const folder = join(
    options.env.XDG_CONFIG_HOME || join(options.home ?? homedir(), '.config'),
    'autostart',
  );
  const file = join(folder, AUTOSTART_FILE);
  const executable = options.env.APPIMAGE || options.execPath;
  return {
    apply: (enabled) => {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, autostartEntry(executable), { mode: 0o644 });
    },
  };
}

/** The XDG autostart desktop entry that starts `executable`. */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Sesame',
    'Comment=Keeps your servers reachable behind port knocking',
    `Exec=${desktopExecArgument(executable)}`,
    'Icon=sesame',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

// The Desktop Entry Specification's reserved characters, which force quoting.
const RESERVED = /[\s"'\\><~|&;$*?#`()]/;

/**
 * One argument of an Exec line: quoted when it holds a reserved character, with " ` $ \ escaped
 * inside the quotes, then every backslash doubled (the string escaping that applies first when
 * the file is read), and % doubled (a field code otherwise).
 */
export function desktopExecArgument(arg: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(arg)) {
    throw new Error('the program path has a control character and cannot go in a desktop entry');
  }
  const quoted = RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}
