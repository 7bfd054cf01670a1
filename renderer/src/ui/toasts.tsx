import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export type ToastTone = 'info' | 'success' | 'warning' | 'error';
interface Toast {
  readonly id: number;
  readonly message: string;
  readonly tone: ToastTone;
}

type Show = (message: string, tone?: ToastTone) => void;
const ToastContext = createContext<Show>(() => undefined);

export function useToast(): Show {
  return useContext(ToastContext);
}

let nextId = 1;

/**
 * Short messages after an action ("Copied", "The preview does not start programs: ssh …").
 * Announced politely; errors stay until dismissed, the rest go after a few seconds.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback(
    (id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)),
    [],
  );
  const show = useCallback<Show>(
    (message, tone = 'info') => {
      const id = nextId++;
      setToasts((list) => [...list.slice(-3), { id, message, tone }]);
      if (tone !== 'error') setTimeout(() => dismiss(id), 8000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            <span className="toast-message">{toast.message}</span>
            <button
              type="button"
              className="button ghost small"
              onClick={() => dismiss(toast.id)}
              aria-label="Dismiss message"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
