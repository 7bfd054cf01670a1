import type { ReactNode } from 'react';
import { Icon } from '../ui/icons.js';

/** A problem (it stops the import) or a warning, as a list item, never told by color alone. */
export function Note({
  severity,
  children,
}: {
  severity: 'error' | 'warning';
  children: ReactNode;
}) {
  return (
    <li className={`note note-${severity}`}>
      {severity === 'error' ? (
        <Icon name="remove" className="note-icon" />
      ) : (
        <span aria-hidden="true">⚠ </span>
      )}
      {children}
    </li>
  );
}
