/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  user: string;
  time: string;
  playbook: string;
  /** Unique id of the run, also written into the host locks. */
  id: string;
}

/** A lock another run holds (the message says who, since when, and how to clear it). */
export class LockedError extends Error {
  constructor(
    message: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}
