import type { Session } from '../api/session';
export function LoggingPage(_: { session: Session; account: string | undefined; id: string | undefined }) {
  return (
    <section>
      <h1 tabIndex={-1}>Logging configurations</h1>
    </section>
  );
}
