/** A form's main button: disabled while its action runs, and saying so (`busyLabel`). */
export function SubmitButton({ busy, label, busyLabel = 'Saving…' }: { busy: boolean; label: string; busyLabel?: string }) {
  return (
    <button type="submit" class="primary" disabled={busy}>
      {busy ? busyLabel : label}
    </button>
  );
}
