import type { IpcMainInvokeEvent, Rectangle, Session, WebContents } from 'electron';
import { BrowserWindow, app, screen } from 'electron';
import { pathToFileURL } from 'node:url';
import type { EventName, EventPayload } from '../src/api/contract.js';
import { eventChannel } from './channels.js';
import { type Rect, windowPositionNearTray, windowSizeFor } from './window-position.js';

export interface WindowPaths {
  /** out/preload/preload.cjs */
  readonly preload: string;
  /** out/renderer/index.html */
  readonly rendererIndex: string;
}

/**
 * The window's layout (the sections on the left, a server's row with its actions, forms in two
 * columns) is made for this size. Narrower, a server's actions go under its name and state,
 * and at the minimum the sections become a rail of icons. A small screen gets a window that fits
 * its work area.
 */
export const WINDOW_SIZE = { width: 1000, height: 720 } as const;
export const WINDOW_MIN_SIZE = { width: 720, height: 520 } as const;

/**
 * The page's Content Security Policy: its own scripts and styles only, no connections (the
 * window talks to the core through window.sesame alone), no frames, forms or plugins. The
 * renderer's index.html carries the same policy in a meta tag, since a header may not reach a
 * file:// page on every Electron version.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Every web page Sesame shows may go nowhere else: navigation, redirects, new windows and
 * <webview> are refused (app.on('web-contents-created') applies this to all of them).
 */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    // The window saves a file it made itself (the export) with <a download> on a blob: URL.
    // Chromium treats that as a download, not a navigation; should a version route it here,
    // it becomes the download it was meant to be (through the save dialog below), never a page.
    if (event.isMainFrame && isPageBlob(event.url)) contents.downloadURL(event.url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** A blob: URL: data the page made in memory (nothing from the network or the disk). */
export function isPageBlob(url: string | undefined): url is string {
  return typeof url === 'string' && url.startsWith('blob:');
}

/**
 * The one permission a page is ever granted is writing text to the clipboard (Electron's
 * `clipboard-sanitized-write`, what `navigator.clipboard.writeText` asks for), and only for the
 * main frame of Sesame's own page, `pageUrl` (the Copy buttons of the share, setup and log
 * views). Everything else, reading the clipboard included, is refused, asked or checked.
 * The only download is a file the page made itself (the export), always through the save
 * dialog: any other download is cancelled.
 */
export function lockDownSession(session: Session, pageUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isOwnClipboardWrite(permission, details, pageUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isOwnClipboardWrite(permission, details, pageUrl),
  );
  session.on('will-download', (event, item) => {
    if (!isPageBlob(item.getURL())) {
      event.preventDefault();
      return;
    }
    // No save path is set, so Electron asks where to save, with these options.
    item.setSaveDialogOptions({ title: 'Save', defaultPath: item.getFilename() });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      // Electronegativity's policy evaluator flags script-src 'self' for sites that serve JSONP
      // or uploads; this page is a file in the app and has neither (docs/security.md). Prettier
      // would move the comment that says so off the line Electronegativity reads.
      // prettier-ignore
      responseHeaders: { // eng-disable CSP_GLOBAL_CHECK
        ...details.responseHeaders,
        // Written out, not CONTENT_SECURITY_POLICY: Electronegativity reads the policy only from
        // a literal here. A test keeps the two equal.
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
}

/**
 * Sesame's one window, created when it is asked for and destroyed when closed (a tray app
 * should not keep a renderer alive in the background), next to the tray icon.
 */
export class MainWindow {
  private window: BrowserWindow | undefined;
  readonly pageUrl: string;

  constructor(
    private readonly paths: WindowPaths,
    private readonly platform: NodeJS.Platform,
  ) {
    this.pageUrl = pathToFileURL(paths.rendererIndex).href;
  }

  open(trayBounds?: Rectangle): void {
    const cursor = screen.getCursorScreenPoint();
    const near = trayBounds && trayBounds.width > 0 ? { x: trayBounds.x, y: trayBounds.y } : cursor;
    const { workArea } = screen.getDisplayNearestPoint(near);
    let window = this.current();
    if (!window) {
      const size = windowSizeFor(WINDOW_SIZE, WINDOW_MIN_SIZE, workArea);
      // Locked down whatever Electron's defaults are in a given version. Written out here, not
      // built by a function, so that Electronegativity can read every option.
      window = new BrowserWindow({
        width: size.width,
        height: size.height,
        minWidth: WINDOW_MIN_SIZE.width,
        minHeight: WINDOW_MIN_SIZE.height,
        show: false,
        title: 'Sesame',
        fullscreenable: false,
        autoHideMenuBar: true,
        webPreferences: {
          // The preload is reviewed: it exposes window.sesame and nothing else (docs/security.md).
          preload: this.paths.preload, // eng-disable PRELOAD_JS_CHECK
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          nodeIntegrationInSubFrames: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
          webviewTag: false,
          navigateOnDragDrop: false,
          safeDialogs: true,
          spellcheck: false,
          // A middle click would otherwise ask for a new window (refused anyway, see below).
          disableBlinkFeatures: 'Auxclick',
          devTools: !app.isPackaged,
        },
      });
      const created = window;
      created.once('ready-to-show', () => created.show());
      created.on('closed', () => {
        if (this.window === created) this.window = undefined;
      });
      this.window = created;
      void created.loadFile(this.paths.rendererIndex);
    } else {
      window.show();
      window.focus();
    }
    this.place(window, trayBounds, cursor, workArea);
    if (this.platform === 'darwin') app.focus({ steal: true });
  }

  isFocused(): boolean {
    return this.current()?.isFocused() ?? false;
  }

  /** Only the main frame of this window, showing Sesame's own page, may call the core. */
  isOwnSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
    const window = this.current();
    const frame = event.senderFrame;
    return (
      window !== undefined &&
      event.sender.id === window.webContents.id &&
      frame !== null &&
      frame.parent === null &&
      isSamePage(frame.url, this.pageUrl)
    );
  }

  send<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.current()?.webContents.send(eventChannel(event), payload);
  }

  close(): void {
    this.current()?.destroy();
    this.window = undefined;
  }

  private current(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  /** Next to the tray icon, at the window's own size (the person may have resized it). */
  private place(
    window: BrowserWindow,
    trayBounds: Rectangle | undefined,
    cursor: { x: number; y: number },
    workArea: Rect,
  ): void {
    const [width = WINDOW_SIZE.width, height = WINDOW_SIZE.height] = window.getSize();
    const { x, y } = windowPositionNearTray(trayBounds, cursor, { width, height }, workArea);
    window.setPosition(x, y);
  }
}

/**
 * A request to write the clipboard from the main frame of Sesame's own page. The frame's URL
 * (`requestingUrl`) is compared, not `requestingOrigin`: every file:// page has the same origin.
 */
export function isOwnClipboardWrite(
  permission: string,
  details: { readonly isMainFrame?: boolean; readonly requestingUrl?: string } | undefined,
  pageUrl: string,
): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    details?.isMainFrame === true &&
    typeof details.requestingUrl === 'string' &&
    isSamePage(details.requestingUrl, pageUrl)
  );
}

/** Same file, whatever the fragment or query (the window's own routing may use them). */
export function isSamePage(url: string, pageUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
