import { type RefObject, useEffect, useRef } from 'react';
import { Icon } from '../ui/icons.js';

interface ViewHeaderProps {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  /** Shows "Back to servers" when given. */
  readonly onBack?: () => void;
  /** To bring focus back to the title (after a refusal, for example). */
  readonly headingRef?: RefObject<HTMLHeadingElement | null>;
}

/**
 * The title of a screen that replaces the list. Focus starts on it, so keyboard and screen
 * reader users begin where the screen begins.
 */
export function ViewHeader({ id, title, subtitle, onBack, headingRef }: ViewHeaderProps) {
  const own = useRef<HTMLHeadingElement>(null);
  const heading = headingRef ?? own;
  useEffect(() => heading.current?.focus(), [heading]);
  return (
    <header className="page-header">
      <div>
        <h1 id={id} ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="subtitle">{subtitle}</p>
      </div>
      {onBack !== undefined && (
        <button type="button" className="button" onClick={onBack}>
          <Icon name="back" /> Back to servers
        </button>
      )}
    </header>
  );
}
