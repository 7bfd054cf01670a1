import { type ChildProcess, type SpawnOptions, spawn as nodeSpawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Launcher } from '../api/core-services.js';
import type { LaunchResult } from '../api/view-schemas.js';
import type { ServerProfile } from '../servers/server-profile.js';
import type { Preferences } from '../store/settings-schema.js';
import { LaunchError, type LaunchPlan } from './launch-plan.js';
import { LINUX_RDP_CLIENTS, rdpPlan } from './rdp-command.js';
import { commandLineText, sshCommand } from './ssh-command.js';
import { linuxTerminalOrder, terminalPlan } from './terminal.js';

export type Spawn = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface SystemLauncherOptions {
  /** The person's terminal and RDP client, read at each launch (they can change at any time). */
  readonly preferences: () => Pick<Preferences, 'terminalCommand' | 'rdpCommand'>;
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  /** child_process.spawn; the tests pass one that records. */
  readonly spawn?: Spawn;
  /** Whether a program is on the PATH (default: look in every PATH folder). */
  readonly hasProgram?: (name: string) => boolean;
}

/**
 * Opens SSH in the system's terminal and RDP in the system's client, from the pure builders in
 * this folder. Every program is started from an argument list, detached, without a shell, so a
 * value can never become a command of its own. Plain Node: the tray app and the preview bridge
 * both use it.
 */
export function createSystemLauncher(options: SystemLauncherOptions): Launcher {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const spawn: Spawn = options.spawn ?? nodeSpawn;
  const hasProgram = options.hasProgram ?? ((name: string) => onPath(name, env, platform));

  const run = async (plan: LaunchPlan): Promise<LaunchResult> => {
    await start(spawn, plan);
    return { command: commandLineText([plan.file, ...plan.args], platform) };
  };

  return {
    openSsh: async (server: ServerProfile) => {
      const prefs = options.preferences();
      return await run(
        terminalPlan(platform, sshCommand(server, platform), {
          template: prefs.terminalCommand,
          windowsTerminal: platform === 'win32' && hasProgram('wt.exe'),
          linuxTerminal:
            platform === 'linux' || platform === 'freebsd' || platform === 'openbsd'
              ? linuxTerminalOrder(env.XDG_CURRENT_DESKTOP).find(hasProgram)
              : undefined,
        }),
      );
    },
    openRdp: async (server: ServerProfile) => {
      const prefs = options.preferences();
      return await run(
        rdpPlan(platform, server, {
          template: prefs.rdpCommand,
          linuxClient:
            platform === 'win32' || platform === 'darwin'
              ? undefined
              : LINUX_RDP_CLIENTS.find(hasProgram),
        }),
      );
    },
    sshCommand: (server: ServerProfile) => commandLineText(sshCommand(server, platform), platform),
  };
}

/** Starts the plan; resolves once it runs (or, for hand-off programs, once it exited well). */
export function start(spawn: Spawn, plan: LaunchPlan): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(plan.file, plan.args, {
        detached: true,
        shell: false,
        windowsHide: false,
        stdio: plan.waitForExit === true ? ['ignore', 'ignore', 'pipe'] : 'ignore',
      });
    } catch (error) {
      reject(startError(plan.file, error));
      return;
    }
    child.once('error', (error) => reject(startError(plan.file, error)));
    if (plan.waitForExit !== true) {
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
      return;
    }
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 2048) stderr += chunk;
    });
    child.once('close', (code) => {
      if (code === 0) resolve();
      else {
        const why = stderr.trim().split('\n')[0] ?? '';
        reject(
          new LaunchError(`${plan.file} failed (exit ${code ?? 'signal'})${why ? `: ${why}` : ''}`),
        );
      }
    });
  });
}

function startError(file: string, error: unknown): LaunchError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new LaunchError(
      `${file} was not found: install it, or choose another program in Settings`,
    );
  }
  return new LaunchError(`could not start ${file}: ${(error as Error).message}`);
}

/** Whether `name` is an executable file in one of the PATH folders. */
export function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const path = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const separator = platform === 'win32' ? ';' : delimiter;
  return path
    .split(separator)
    .filter(Boolean)
    .some((folder) => {
      try {
        // lstat, and anything but a folder: Windows' app execution aliases (wt.exe) are reparse
        // points that stat refuses and that are neither plain files nor links.
        return !lstatSync(join(folder, name)).isDirectory();
      } catch {
        return false;
      }
    });
}
