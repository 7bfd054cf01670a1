import type { MenuItemConstructorOptions, Rectangle } from 'electron';
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import { type MenuItemSpec, type TrayAction, type TrayMenuModel, trayMenu } from './tray-menu.js';
import { trayIconFile, trayState, trayTooltip } from './tray-state.js';

export interface TrayViewOptions {
  /** The folder with the tray icons (out/tray, copied from build/tray by the build). */
  readonly iconDir: string;
  readonly platform: NodeJS.Platform;
  readonly onAction: (action: TrayAction) => void;
  /** A left click on the icon. */
  readonly onClick: () => void;
}

/**
 * The tray icon and its menu: the only place that creates Tray and Menu. Everything it shows
 * comes from the pure mappers (trayState, trayTooltip, trayMenu); a render with the same result
 * as the last one changes nothing, so progress events do not rebuild an open menu needlessly.
 *
 * On macOS a context menu set on the icon would also open on a left click, so there the menu is
 * popped up on a right click and a left click opens the window. Linux trays (AppIndicator) only
 * show a menu set on the icon and often report no clicks at all, hence "Open Sesame" in it.
 */
export class TrayView {
  private readonly tray: Tray;
  private menu: Menu | undefined;
  private shown = { icon: '', tooltip: '', menu: '' };

  constructor(private readonly options: TrayViewOptions) {
    this.tray = new Tray(this.image(trayIconFile('empty', options.platform)));
    this.tray.on('click', () => options.onClick());
    if (options.platform === 'darwin') {
      this.tray.setIgnoreDoubleClickEvents(true);
      this.tray.on('right-click', () => {
        if (this.menu) this.tray.popUpContextMenu(this.menu);
      });
    }
  }

  render(model: TrayMenuModel): void {
    const icon = trayIconFile(trayState(model.servers), this.options.platform);
    if (icon !== this.shown.icon) this.tray.setImage(this.image(icon));
    const tooltip = trayTooltip(model.servers);
    if (tooltip !== this.shown.tooltip) this.tray.setToolTip(tooltip);
    const spec = trayMenu(model);
    const key = JSON.stringify(spec);
    if (key !== this.shown.menu) {
      this.menu = Menu.buildFromTemplate(spec.map((item) => this.template(item)));
      if (this.options.platform !== 'darwin') this.tray.setContextMenu(this.menu);
    }
    this.shown = { icon, tooltip, menu: key };
  }

  bounds(): Rectangle {
    return this.tray.getBounds();
  }

  destroy(): void {
    this.tray.destroy();
  }

  private image(file: string): Electron.NativeImage {
    return nativeImage.createFromPath(join(this.options.iconDir, file));
  }

  private template(item: MenuItemSpec): MenuItemConstructorOptions {
    const { action, submenu, ...rest } = item;
    return {
      ...rest,
      ...(submenu && { submenu: submenu.map((child) => this.template(child)) }),
      ...(action && { click: () => this.options.onAction(action) }),
    };
  }
}
