/**
 * What a start has opened so far, so that it can be closed again: on a normal shutdown, and
 * when a later step of the start fails (a port in use, a database that refuses), so that a
 * failed start leaves no pool, timer or file handle behind. Closed in reverse order of opening;
 * a close that fails is logged and the others still run.
 */
export interface CloseLog {
  error(details: object, message: string): void;
}

export class Opened {
  readonly #closers: Array<{ readonly name: string; readonly close: () => Promise<void> | void }> = [];

  /** Remembers `close` for `value` (named in logs) and returns `value`. */
  add<T>(name: string, value: T, close: (value: T) => Promise<void> | void): T {
    this.#closers.push({ name, close: () => close(value) });
    return value;
  }

  /** Closes everything added, newest first. Idempotent: each closer runs once. */
  async closeAll(log: CloseLog): Promise<void> {
    while (this.#closers.length > 0) {
      const { name, close } = this.#closers.pop()!;
      try {
        await close();
      } catch (err) {
        log.error({ err, part: name }, 'could not close a part of Parlor');
      }
    }
  }
}
