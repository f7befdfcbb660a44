/**
 * A small in-process cache with a time to live, for data read on every request that rarely changes
 * (token -> principal, organisations, product versions). It is emptied at once when the data changes
 * (api/shared-state/reference-data.ts); the TTL only bounds how stale a missed notification can leave it.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  /** Bumped by clear(): a load that began before a clear must not store what it read before the change. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (generation !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
