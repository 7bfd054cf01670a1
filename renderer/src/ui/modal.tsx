import {
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
} from 'react';

const FOCUSABLE =
  'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  readonly title: string;
  /** The body, described to screen readers with the title. */
  readonly children: ReactNode;
  /** The buttons at the bottom. */
  readonly actions: ReactNode;
  readonly onCancel: () => void;
  /** Where focus starts; the first control when absent. */
  readonly initialFocus?: RefObject<HTMLElement | null>;
  /** alertdialog for a question that needs an answer, dialog for a small form. */
  readonly role?: 'dialog' | 'alertdialog';
  readonly className?: string;
  /**
   * For a dialog that is a small form: its body and buttons become a form, so Enter in a field
   * submits it (through the actions' type="submit" button). Nothing is sent anywhere: the
   * submission is handled here (the page's policy has form-action 'none').
   */
  readonly onSubmit?: () => void;
}

/**
 * A modal window over the page. Focus starts inside and stays there (Tab wraps), Escape cancels,
 * and focus returns to where it was when it closes.
 */
export function Modal(props: ModalProps) {
  const titleId = useId();
  const bodyId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const { initialFocus, onSubmit } = props;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = dialog.current?.querySelector<HTMLElement>(FOCUSABLE);
    (initialFocus?.current ?? first)?.focus();
    return () => before?.focus();
  }, [initialFocus]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
    }
    if (event.key !== 'Tab') return;
    const controls = [...(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    const first = controls[0];
    const last = controls.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
  const content = (
    <>
      <div id={bodyId} className="dialog-body">
        {props.children}
      </div>
      <div className="dialog-actions">{props.actions}</div>
    </>
  );
  return (
    <div className="backdrop">
      <div
        ref={dialog}
        className={props.className === undefined ? 'dialog' : `dialog ${props.className}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        {onSubmit === undefined ? (
          content
        ) : (
          <form
            className="dialog-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              onSubmit();
            }}
          >
            {content}
          </form>
        )}
      </div>
    </div>
  );
}
