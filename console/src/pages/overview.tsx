import type { Session } from '../api/session';
export function OverviewPage({ session }: { session: Session }) {
  return (
    <section>
      <h1 tabIndex={-1}>Overview</h1>
      <p>Node {session.info.node}</p>
    </section>
  );
}
