import type { Session } from '../api/session';
export function RoomPage(p: { session: Session; account: string; id: string; tab: 'settings' | 'live' }) {
  return (
    <section>
      <h1 tabIndex={-1}>Room {p.id}</h1>
    </section>
  );
}
