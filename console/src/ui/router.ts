/**
 * Hash routing: `#/rooms/<account>/<id>/live` → ['rooms', '<account>', '<id>', 'live']. The
 * server only ever serves /console/, so reloads and shared links work without server routes.
 */
import { useEffect, useState } from 'preact/hooks';

function current(): string[] {
  return location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = (): void => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The href of a route, each segment encoded. */
export function href(...segments: string[]): string {
  return `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export function navigate(...segments: string[]): void {
  location.hash = href(...segments);
}

/** A room's route segments from its ARN (`arn:aws:ivschat:<region>:<account>:room/<id>`). */
export function arnSegments(arn: string): [string, string] {
  const parts = arn.split(':');
  return [parts[4] ?? '', (parts[5] ?? '').split('/')[1] ?? ''];
}

/** The ARN of a room or logging configuration from its route segments. */
export function arnOf(kind: 'room' | 'logging-configuration', region: string, account: string, id: string): string {
  return `arn:aws:ivschat:${region}:${account}:${kind}/${id}`;
}
