/**
 * A confirmation in a native modal <dialog>: focus moves into it, Escape cancels, and the
 * page behind cannot be clicked. `onConfirm` may fail; its error is shown inside the dialog.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, type ShownError } from '../api/errors';
import { ErrorBox } from './error-box';

interface Props {
  readonly title: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}

export function ConfirmDialog({ title, confirmLabel, onConfirm, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | undefined>();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      ref.current?.close();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="dialog-title">
      <h2 id="dialog-title">{title}</h2>
      {children}
      <ErrorBox error={error} />
      <div class="form-actions">
        <button type="button" class="danger" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={() => ref.current?.close()} autoFocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
