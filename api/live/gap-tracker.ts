/**
 * Ids the feed's poller stepped over. case_events ids are taken at insert and become visible at commit, so a
 * transaction that commits after a higher id was already read shows up *below* the poller's position. Like a
 * high-water-mark event store, the poller keeps every skipped id open for a grace period and re-reads them;
 * an id still missing after it was rolled back or burnt by `insert ... on conflict do nothing` and is given
 * up. Pure bookkeeping: the caller passes the clock.
 */
export class GapTracker {
  /** open id -> the instant it is given up; filled in ascending id order, so the first key is the lowest. */
  private readonly open = new Map<number, number>();

  constructor(
    private readonly graceMs: number,
    private readonly maxOpen = 10_000,
  ) {}

  /** Every id strictly between `after` and `next` was not visible when `next` was read. */
  skipped(after: number, next: number, now: number): void {
    for (let id = Math.max(after + 1, next - this.maxOpen); id < next; id++) this.open.set(id, now + this.graceMs);
    // A burst of burnt ids must not grow without bound: the oldest gaps are given up first.
    for (const id of this.open.keys()) {
      if (this.open.size <= this.maxOpen) break;
      this.open.delete(id);
    }
  }

  /** The row with this id was read after all. */
  filled(id: number): void {
    this.open.delete(id);
  }

  /** The ids still worth re-reading at `now`; gives up those past their grace. */
  pending(now: number): number[] {
    const ids: number[] = [];
    for (const [id, giveUpAt] of this.open) {
      if (giveUpAt <= now) this.open.delete(id);
      else ids.push(id);
    }
    return ids;
  }

  /** The lowest id still open, or null: every id below it has been read or given up. */
  lowest(): number | null {
    let low: number | null = null;
    for (const id of this.open.keys()) if (low === null || id < low) low = id;
    return low;
  }
}
