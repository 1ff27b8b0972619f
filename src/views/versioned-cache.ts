// Answers kept per object and version, for work that is costly to redo (a GET and an analysis per object):
// the same version is answered once, a stale answer (evicted meanwhile, or a newer version asked) is
// dropped, and objects that left their listing are evicted. No vscode import: unit-tested with node.

export class VersionedCache<T> {
  private readonly answers = new Map<string, { version: string; value: T }>();
  /** The version being worked out per object, so asking again meanwhile starts nothing. */
  private readonly inFlight = new Map<string, string>();

  get(id: string): T | undefined {
    return this.answers.get(id)?.value;
  }

  /** True when this version is answered, or being answered. */
  has(id: string, version: string): boolean {
    return this.answers.get(id)?.version === version || this.inFlight.get(id) === version;
  }

  start(id: string, version: string): void {
    this.inFlight.set(id, version);
  }

  /**
   * Stores the answer; false (and nothing stored) when it is stale. A transient answer (a failure) is
   * shown but not kept for its version, so the next ask tries again.
   */
  finish(id: string, version: string, value: T, transient = false): boolean {
    if (this.inFlight.get(id) !== version) return false;
    this.inFlight.delete(id);
    this.answers.set(id, { version: transient ? '' : version, value });
    return true;
  }

  /** Of the objects inScope says belong to a listing, forgets those not in it. */
  retain(inScope: (id: string) => boolean, listed: Iterable<string>): void {
    const keep = new Set(listed);
    for (const id of [...this.answers.keys(), ...this.inFlight.keys()]) {
      if (!inScope(id) || keep.has(id)) continue;
      this.answers.delete(id);
      this.inFlight.delete(id);
    }
  }

  clear(): void {
    this.answers.clear();
    this.inFlight.clear();
  }

  get size(): number {
    return this.answers.size;
  }
}
