import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

/**
 * A recording stand-in for the `electron` module (the shell tests alias `electron` to this file;
 * Electron's binary cannot run here). It keeps what the shell does, tray, menus, windows, IPC
 * handlers, notifications, so tests can assert it, and plays the renderer's side of IPC so the
 * preload bridge can be driven end to end. Only what electron/ uses is here.
 */

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface MenuTemplateItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: MenuTemplateItem[];
  click?: () => void;
}

class RecordingMenu {
  constructor(readonly template: MenuTemplateItem[]) {}
}

class StandInWebContents extends EventEmitter {
  readonly mainFrame: { url: string; parent: null };
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: (() => { action: string }) | undefined;

  constructor(readonly id: number) {
    super();
    this.mainFrame = { url: 'about:blank', parent: null };
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
    renderer.deliver(channel, payload);
  }

  setWindowOpenHandler(handler: () => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  readonly downloads: string[] = [];
  downloadURL(url: string): void {
    this.downloads.push(url);
  }
}

let nextWebContentsId = 1;

export class BrowserWindow extends EventEmitter {
  readonly webContents = new StandInWebContents(nextWebContentsId++);
  loadedFile: string | undefined;
  position: [number, number] | undefined;
  visible = false;
  focused = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
  }

  loadFile(path: string): Promise<void> {
    this.loadedFile = path;
    this.webContents.mainFrame.url = pathToFileURL(path).href;
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
    this.focused = true;
  }

  focus(): void {
    this.focused = true;
  }

  isFocused(): boolean {
    return this.focused;
  }

  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }

  getSize(): number[] {
    return [Number(this.options.width), Number(this.options.height)];
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class Tray extends EventEmitter {
  image: { path: string };
  tooltip = '';
  contextMenu: RecordingMenu | undefined;
  poppedUp: RecordingMenu | undefined;
  destroyed = false;

  constructor(image: { path: string }) {
    super();
    this.image = image;
    recorded.trays.push(this);
  }

  setImage(image: { path: string }): void {
    this.image = image;
  }

  setToolTip(text: string): void {
    this.tooltip = text;
  }

  setContextMenu(menu: RecordingMenu): void {
    this.contextMenu = menu;
  }

  popUpContextMenu(menu: RecordingMenu): void {
    this.poppedUp = menu;
  }

  setIgnoreDoubleClickEvents(): void {}

  getBounds() {
    return { x: 1800, y: 0, width: 24, height: 24 };
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export const Menu = {
  buildFromTemplate(template: MenuTemplateItem[]): RecordingMenu {
    const menu = new RecordingMenu(template);
    recorded.menus.push(menu);
    return menu;
  },
};

export const nativeImage = {
  createFromPath: (path: string) => ({ path }),
};

class StandInApp extends EventEmitter {
  isPackaged = true;
  singleInstance = true;
  quitCalls = 0;
  readonly dock = { hidden: false, hide: () => void (this.dock.hidden = true) };
  appUserModelId: string | undefined;
  loginItem: { openAtLogin: boolean } | undefined;
  userData = '/nonexistent';

  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  quit(): void {
    this.quitCalls += 1;
    const event = {
      defaultPrevented: false,
      preventDefault: () => (event.defaultPrevented = true),
    };
    this.emit('before-quit', event);
  }

  exit(): void {}

  focus(): void {}

  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }

  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = settings;
  }

  getPath(): string {
    return this.userData;
  }

  getVersion(): string {
    return '0.0.0-test';
  }
}

export const app = new StandInApp();

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (recorded.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    recorded.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    recorded.handlers.delete(channel);
  },
  on(): void {},
};

export const powerMonitor = new EventEmitter();

export const net = { online: true, isOnline: () => net.online };

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }

  constructor(readonly options: { title: string; body: string }) {
    super();
  }

  show(): void {
    recorded.notifications.push(this.options);
  }
}

export const clipboard = {
  writeText: (text: string) => void recorded.clipboard.push(text),
};

export const screen = {
  getCursorScreenPoint: () => ({ x: 1810, y: 10 }),
  getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 25, width: 1920, height: 1055 } }),
};

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as Handler | undefined,
    permissionCheckHandler: undefined as Handler | undefined,
    headersHandler: undefined as Handler | undefined,
    events: new EventEmitter(),
    on(event: string, handler: Handler) {
      this.events.on(event, handler);
    },
    setPermissionRequestHandler(handler: Handler) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: Handler) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(handler: Handler) {
        session.defaultSession.headersHandler = handler;
      },
    },
  },
};

export const shell = {};

export const dialog = { showErrorBox: () => undefined };

/** The renderer's side: the page of the last window created, as the preload sees it. */
class StandInRenderer {
  private readonly listeners = new Map<string, Set<Handler>>();

  deliver(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      listener({ sender: 'the renderer event, which must not reach the page' }, payload);
    }
  }

  on(channel: string, listener: Handler): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }

  removeListener(channel: string, listener: Handler): void {
    this.listeners.get(channel)?.delete(listener);
  }

  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  /** Calls a main-process handler as the window's page would (or as `from` would). */
  async invoke(channel: string, input: unknown, from?: BrowserWindow): Promise<unknown> {
    const window = from ?? recorded.windows.at(-1);
    const handler = recorded.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = window
      ? { sender: window.webContents, senderFrame: window.webContents.mainFrame }
      : { sender: { id: -1 }, senderFrame: null };
    return await handler(event, input);
  }
}

export const renderer = new StandInRenderer();

export const ipcRenderer = {
  invoke: (channel: string, input: unknown) => renderer.invoke(channel, input),
  on: (channel: string, listener: Handler) => renderer.on(channel, listener),
  removeListener: (channel: string, listener: Handler) =>
    renderer.removeListener(channel, listener),
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    recorded.exposed.set(key, api);
  },
};

export const recorded = {
  windows: [] as BrowserWindow[],
  trays: [] as Tray[],
  menus: [] as RecordingMenu[],
  handlers: new Map<string, Handler>(),
  notifications: [] as { title: string; body: string }[],
  clipboard: [] as string[],
  exposed: new Map<string, unknown>(),
};

/** Forgets everything recorded and every listener, for the next test. */
export function resetStandIn(): void {
  recorded.windows.length = 0;
  recorded.trays.length = 0;
  recorded.menus.length = 0;
  recorded.handlers.clear();
  recorded.notifications.length = 0;
  recorded.clipboard.length = 0;
  recorded.exposed.clear();
  app.removeAllListeners();
  powerMonitor.removeAllListeners();
  app.isPackaged = true;
  app.singleInstance = true;
  app.quitCalls = 0;
  app.dock.hidden = false;
  app.loginItem = undefined;
  net.online = true;
}

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  ipcMain,
  ipcRenderer,
  contextBridge,
  powerMonitor,
  net,
  Notification,
  clipboard,
  screen,
  session,
  shell,
  dialog,
};
