export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const GAP = 8;

interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size a new window opens at: `wanted`, made smaller to fit inside the work area (with the
 * gap on each side) of a small screen, but never below `minimum`, the smallest size the layout
 * holds at (the window cannot be made smaller either).
 */
export function windowSizeFor(wanted: Size, minimum: Size, workArea: Rect): Size {
  return {
    width: Math.max(minimum.width, Math.min(wanted.width, workArea.width - 2 * GAP)),
    height: Math.max(minimum.height, Math.min(wanted.height, workArea.height - 2 * GAP)),
  };
}

/**
 * Where the window goes so that it opens next to the tray icon: below it when the icon is in
 * the upper half of the screen (the macOS menu bar, a top panel), above it otherwise (the
 * Windows taskbar), centred on the icon and kept inside the work area. Linux trays often report
 * no bounds; the mouse pointer, which just clicked the icon, stands in for them.
 */
export function windowPositionNearTray(
  tray: Rect | undefined,
  cursor: { readonly x: number; readonly y: number },
  size: Size,
  workArea: Rect,
): { x: number; y: number } {
  const anchor =
    tray !== undefined && tray.width > 0 && tray.height > 0
      ? tray
      : { x: cursor.x, y: cursor.y, width: 0, height: 0 };
  const centreX = anchor.x + anchor.width / 2;
  const upper = anchor.y + anchor.height / 2 < workArea.y + workArea.height / 2;
  const x = clamp(
    Math.round(centreX - size.width / 2),
    workArea.x + GAP,
    workArea.x + workArea.width - size.width - GAP,
  );
  const y = upper
    ? clamp(
        anchor.y + anchor.height + GAP,
        workArea.y + GAP,
        workArea.y + workArea.height - size.height - GAP,
      )
    : clamp(
        anchor.y - size.height - GAP,
        workArea.y + GAP,
        workArea.y + workArea.height - size.height - GAP,
      );
  return { x, y };
}

function clamp(value: number, min: number, max: number): number {
  // A window larger than the work area starts at its top left corner.
  return Math.max(min, Math.min(value, Math.max(min, max)));
}
