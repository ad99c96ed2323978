/** The host name under which controller-side paths are recorded (fetch's dest, copy's src). */
export const CONTROLLER = '\0controller';

/**
 * What the earlier tasks of a check-mode run would have done, for the later ones to plan on: a path a skipped
 * step would have created or moved away, a member it would have removed. Nothing here is ever done on a host.
 */
export class DryRunState {
  private readonly paths = new Map<string, boolean>();
  private readonly sources = new Map<string, string>();
  private readonly removed = new Set<string>();
  private readonly added = new Set<string>();
  private readonly uploads: Array<{ bucket: string; key: string }> = [];

  /** Records that `path` on `host` would exist (true) or be gone (false) after the step just planned; `from`: moved or copied from there. */
  setPath(host: string, path: string, exists: boolean, from?: string): void {
    const key = `${host}\0${trim(path)}`;
    this.paths.set(key, exists);
    if (exists && from !== undefined) this.sources.set(key, this.sourceOf(host, from) ?? trim(from));
    else this.sources.delete(key);
  }

  /** The path whose content `path` would hold now, when a planned step moved or copied it there (to read instead). */
  sourceOf(host: string, path: string): string | undefined {
    return this.sources.get(`${host}\0${trim(path)}`);
  }

  /** Whether an earlier planned step would have created (true) or removed (false) `path` on `host`; undefined if none touched it. */
  pathState(host: string, path: string): boolean | undefined {
    return this.paths.get(`${host}\0${trim(path)}`);
  }

  /** Records an etcd member (by ID) that an earlier planned step would have removed. */
  removeMember(id: string): void {
    this.removed.add(id);
  }

  /** Records an object an earlier planned step would have uploaded. */
  addObject(bucket: string, key: string): void {
    this.uploads.push({ bucket, key });
  }

  /** The keys of the objects earlier planned steps would have uploaded to a bucket, in order. */
  objects(bucket: string): string[] {
    return this.uploads.filter((u) => u.bucket === bucket).map((u) => u.key);
  }

  /** Records an etcd member (by name) that an earlier planned step would have added. */
  addMember(name: string): void {
    this.added.add(name);
  }

  /** True when an earlier planned step would have added a member of this name. */
  memberAdded(name: string): boolean {
    return this.added.has(name);
  }

  /** True when an earlier planned step would have removed this member. */
  memberRemoved(id: string): boolean {
    return this.removed.has(id);
  }

  /** Records the effect of a `mv SRC DST` or `cp SRC DST` command line that check mode did not run (other commands are not understood). */
  noteCommand(host: string, argv: readonly string[]): void {
    for (const [path, to] of Object.entries(commandPaths(argv)))
      this.setPath(host, path, to !== false, typeof to === 'object' ? to.from : undefined);
  }
}

/** Pure: the paths a `mv SRC DST` or `cp SRC DST` argv moves or copies (DST from SRC; SRC gone after mv); nothing for other commands. */
export function commandPaths(argv: readonly string[]): Record<string, boolean | { from: string }> {
  const [cmd, ...rest] = argv;
  const args = rest.filter((a) => !a.startsWith('-'));
  if ((cmd !== 'mv' && cmd !== 'cp') || args.length !== 2) return {};
  const [src, dst] = args as [string, string];
  return cmd === 'mv' ? { [dst]: { from: src }, [src]: false } : { [dst]: { from: src } };
}

function trim(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Why a file check mode would use is missing: an earlier step's plan makes it, or a step check mode cannot plan. */
export function madeBy(ctx: { host: string; dryRun?: DryRunState | undefined }, path: string): string {
  return madeByText(ctx.dryRun?.pathState(ctx.host, path));
}

/** madeBy's text from what the earlier planned steps do to the path (true: one creates it). */
export function madeByText(planned: boolean | undefined): string {
  return planned === true ? 'made by an earlier step' : 'not there now: made by an earlier step that check mode did not run';
}
