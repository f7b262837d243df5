/**
 * Sessions grouped by the second their session expires, so that one shared tick (no timer
 * per connection) finds the due ones without scanning everybody.
 */
export class ExpiryWheel<T> {
  /** second (epoch ms / 1000, rounded up) → items due then. */
  readonly #slots = new Map<number, Set<T>>();

  add(item: T, expiresAt: number): void {
    const slot = Math.ceil(expiresAt / 1000);
    let set = this.#slots.get(slot);
    if (!set) this.#slots.set(slot, (set = new Set()));
    set.add(item);
  }

  remove(item: T, expiresAt: number): void {
    const slot = Math.ceil(expiresAt / 1000);
    const set = this.#slots.get(slot);
    if (!set) return;
    set.delete(item);
    if (set.size === 0) this.#slots.delete(slot);
  }

  /** Removes and returns the items due at or before `now` (epoch ms). */
  due(now: number): T[] {
    const out: T[] = [];
    const current = Math.floor(now / 1000);
    for (const [slot, set] of this.#slots) {
      if (slot > current) continue;
      out.push(...set);
      this.#slots.delete(slot);
    }
    return out;
  }
}
