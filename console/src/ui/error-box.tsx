/** A failed call on screen: the exception name, its message, the HTTP status and request id. */
import type { ShownError } from '../api/errors';

export function ErrorBox({ error, title }: { error: ShownError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert">
      <strong>{title ?? 'The server refused this'}</strong>
      <p>
        <code class="error-name">{error.name}</code>
        {error.message ? `: ${error.message}` : ''}
      </p>
      {error.status !== undefined || error.requestId ? (
        <p class="muted small">
          {error.status !== undefined ? `HTTP ${error.status}` : ''}
          {error.requestId ? ` · request ${error.requestId}` : ''}
        </p>
      ) : null}
    </div>
  );
}

/** A short success line that assistive technology announces. */
export function Notice({ text }: { text: string | undefined }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {text ?? ''}
    </p>
  );
}
