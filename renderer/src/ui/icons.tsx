/** Small line icons, drawn inline (no image requests, nothing for the CSP to allow). */
const PATHS = {
  servers: 'M4 5h16v5H4zM4 14h16v5H4zM7 7.5h.01M7 16.5h.01',
  network:
    'M12 3a9 9 0 100 18 9 9 0 000-18zM3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9s1.3-6.3 3.8-9z',
  log: 'M6 4h12v16H6zM9 8h6M9 12h6M9 16h4',
  settings:
    'M12 9a3 3 0 100 6 3 3 0 000-6zM19 12l2-1-1.5-3.5-2.2.6-1.6-1.6.6-2.2L13 3l-1 2h-0l-1-2-3.3 1.3.6 2.2-1.6 1.6-2.2-.6L3 11l2 1-2 1 1.5 3.5 2.2-.6 1.6 1.6-.6 2.2L11 21l1-2 1 2 3.3-1.3-.6-2.2 1.6-1.6 2.2.6L21 13z',
  open: 'M5 12.5l4.5 4.5L19 7.5',
  knocking: 'M12 4a8 8 0 108 8',
  knocked: 'M12 4v10M12 18v2',
  closed: 'M7 11V8a5 5 0 0110 0v3M5 11h14v9H5z',
  error: 'M12 3l10 18H2zM12 10v4M12 17.5v.5',
  idle: 'M12 4a8 8 0 110 16 8 8 0 010-16z',
  plus: 'M12 5v14M5 12h14',
  bolt: 'M13 3L5 14h6l-1 7 8-11h-6z',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M6 13l6 6 6-6',
  remove: 'M6 6l12 12M18 6L6 18',
  grip: 'M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01',
  dice: 'M5 5h14v14H5zM9 9h.01M15 15h.01M15 9h.01M9 15h.01M12 12h.01',
  copy: 'M9 9h10v11H9zM5 15V4h10',
  refresh: 'M20 11a8 8 0 10-2.3 5.7M20 4v7h-7',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12zM12 9a3 3 0 100 6 3 3 0 000-6z',
  upload: 'M12 15V4M7 9l5-5 5 5M5 15v5h14v-5',
  download: 'M12 4v11M7 10l5 5 5-5M5 15v5h14v-5',
  share:
    'M18 8a3 3 0 100-6 3 3 0 000 6zM6 15a3 3 0 100-6 3 3 0 000 6zM18 22a3 3 0 100-6 3 3 0 000 6zM8.6 13.5l6.8 4M15.4 6.5l-6.8 4',
  terminal: 'M4 5h16v14H4zM8 10l3 2.5L8 15M13 15h3',
  more: 'M5.5 12h1M11.5 12h1M17.5 12h1',
  back: 'M19 12H5M11 6l-6 6 6 6',
  key: 'M15 7a4 4 0 11-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0115 7z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={className === undefined ? 'icon' : `icon ${className}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
