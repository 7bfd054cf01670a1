import { LaunchError, type LaunchPlan } from './launch-plan.js';

/** What the terminal builder needs to know about this machine. */
export interface TerminalChoice {
  /** `preferences.terminalCommand`: the person's own terminal, `{command}` for the command. */
  readonly template?: readonly string[] | undefined;
  /** Windows: Windows Terminal (wt.exe) is installed. */
  readonly windowsTerminal?: boolean;
  /** Linux: the terminal found for this desktop (a key of LINUX_TERMINALS). */
  readonly linuxTerminal?: string | undefined;
}

/**
 * Linux terminals that take the command as separate arguments after one marker, and that
 * marker. Terminals whose option takes the command as one string for a shell (tilix -e,
 * lxterminal -e, xfce4-terminal -e) are used with their argument-list option or not at all.
 */
export const LINUX_TERMINALS: Readonly<Record<string, readonly string[]>> = {
  'gnome-terminal': ['--'],
  konsole: ['-e'],
  'xfce4-terminal': ['-x'],
  'mate-terminal': ['-x'],
  terminator: ['-x'],
  alacritty: ['-e'],
  wezterm: ['start', '--'],
  // Debian's alternative: policy requires `-e program args…` as an argument list.
  'x-terminal-emulator': ['-e'],
  xterm: ['-e'],
};

const DESKTOP_TERMINALS: readonly (readonly [RegExp, string])[] = [
  [/^(gnome|unity|cinnamon|budgie|pantheon|x-cinnamon|pop)$/i, 'gnome-terminal'],
  [/^kde$/i, 'konsole'],
  [/^xfce$/i, 'xfce4-terminal'],
  [/^mate$/i, 'mate-terminal'],
];

/**
 * The terminals to try on Linux, best first: the desktop's own (from XDG_CURRENT_DESKTOP, which
 * may list several, "ubuntu:GNOME"), then the system's default, then the common ones.
 */
export function linuxTerminalOrder(currentDesktop: string | undefined): string[] {
  const desktops = (currentDesktop ?? '').split(':').filter(Boolean);
  const own = desktops.flatMap((desktop) =>
    DESKTOP_TERMINALS.filter(([pattern]) => pattern.test(desktop)).map(([, name]) => name),
  );
  return [...new Set([...own, 'x-terminal-emulator', ...Object.keys(LINUX_TERMINALS)])];
}

/**
 * A terminal window running `command` (an argument list, `ssh …`):
 * - Windows: Windows Terminal (`wt.exe new-tab -- …`) where installed, else a console window
 *   (`conhost.exe -- …`). wt.exe splits its command line at every `;`, even inside an argument,
 *   unless it is written `\;`; and it re-joins the command without escaping quotes, so a command
 *   with `"` in it goes to the console instead, which passes the arguments on unchanged.
 * - macOS: Terminal, through `osascript`. The script is fixed; the command's words arrive as the
 *   script's arguments and each is quoted with AppleScript's `quoted form of` before Terminal's
 *   shell reads the line.
 * - Linux: the desktop's terminal (see LINUX_TERMINALS).
 * The person's `terminalCommand` template wins everywhere.
 */
export function terminalPlan(
  platform: NodeJS.Platform,
  command: readonly string[],
  choice: TerminalChoice,
): LaunchPlan {
  if (choice.template !== undefined) return expandTerminalTemplate(choice.template, command);
  switch (platform) {
    case 'win32':
      if (choice.windowsTerminal === true && !command.some((arg) => arg.includes('"'))) {
        return { file: 'wt.exe', args: ['new-tab', '--', ...command.map(escapeForWt)] };
      }
      return { file: 'conhost.exe', args: ['--', ...command] };
    case 'darwin':
      return {
        file: 'osascript',
        args: [...TERMINAL_SCRIPT.flatMap((line) => ['-e', line]), ...command],
        waitForExit: true,
      };
    default: {
      const name = choice.linuxTerminal;
      const marker = name === undefined ? undefined : LINUX_TERMINALS[name];
      if (name === undefined || marker === undefined) {
        throw new LaunchError(
          'no terminal was found: install one (GNOME Terminal, Konsole, xterm…) or choose yours in Settings, e.g. ["xterm", "-e", "{command}"]',
        );
      }
      return { file: name, args: [...marker, ...command] };
    }
  }
}

/** Opens a Terminal window running the arguments, each quoted for the shell that reads them. */
export const TERMINAL_SCRIPT: readonly string[] = [
  'on run argv',
  'set commandLine to ""',
  'repeat with anArgument in argv',
  'set commandLine to commandLine & quoted form of (anArgument as text) & " "',
  'end repeat',
  'tell application "Terminal"',
  'activate',
  'do script commandLine',
  'end tell',
  'end run',
];

function escapeForWt(arg: string): string {
  return arg.replace(/;/g, '\\;');
}

/**
 * The person's terminal: each element that is exactly `{command}` becomes the command's
 * arguments, one element each. `{command}` inside a longer element would need the command as a
 * string for some shell, which Sesame does not build, so it is refused with what to do.
 */
export function expandTerminalTemplate(
  template: readonly string[],
  command: readonly string[],
): LaunchPlan {
  if (template.some((part) => part !== '{command}' && part.includes('{command}'))) {
    throw new LaunchError(
      'in the terminal command, {command} must be an argument of its own, e.g. ["konsole", "-e", "{command}"]',
    );
  }
  if (!template.includes('{command}')) {
    throw new LaunchError(
      'the terminal command needs {command} where the ssh command goes, e.g. ["xterm", "-e", "{command}"]',
    );
  }
  const argv = template.flatMap((part) => (part === '{command}' ? [...command] : [part]));
  const [file, ...args] = argv;
  if (file === undefined) throw new LaunchError('the terminal command is empty');
  return { file, args };
}
