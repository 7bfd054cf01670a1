import { type ReactNode, useRef } from 'react';
import { Modal } from './modal.js';

interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly danger?: boolean;
}

/** A modal question with two answers; focus starts on the safe answer. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      title={props.title}
      role="alertdialog"
      onCancel={props.onCancel}
      initialFocus={cancel}
      actions={
        <>
          <button ref={cancel} type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={props.danger ? 'button danger' : 'button primary'}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
    </Modal>
  );
}
