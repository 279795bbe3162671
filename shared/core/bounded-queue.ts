/**
 * A queue between one producer that must not run ahead (the file parser) and
 * consumers that take items in batches (the DynamoDB writers). It holds at
 * most `capacity` items: the producer asks `full` before each step and awaits
 * `room()` while it is set, and `waitAt` leaves room for the most items one
 * step can add (`capacity - waitAt`), so memory stays bounded whatever the
 * file's size. Pure: no I/O, no timers.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  private closed = false;
  private discarding = false;
  private roomWaiters: (() => void)[] = [];
  private takers: (() => void)[] = [];
  /** The most items it ever held at once (what a test asserts, rather than the process's memory). */
  highWater = 0;
  readonly waitAt: number;
  /** A waiting producer goes on once the queue is down to this many. */
  readonly resumeAt: number;

  constructor(
    readonly capacity: number,
    /** The most items the producer adds between two looks at `full`. */
    stepItems = 1,
    /**
     * Where a waiting producer is let go again. Below `waitAt`, it makes the
     * producer run in longer stretches between waits: fewer switches between
     * parsing and writing on one thread.
     */
    resumeAt?: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`queue capacity must be a positive integer, got ${capacity}`);
    if (stepItems < 1 || stepItems > capacity) throw new Error(`stepItems must be within 1..${capacity}, got ${stepItems}`);
    this.waitAt = capacity - stepItems + 1;
    this.resumeAt = resumeAt ?? this.waitAt - 1;
    if (this.resumeAt < 0 || this.resumeAt >= this.waitAt) throw new Error(`resumeAt must be within 0..${this.waitAt - 1}, got ${this.resumeAt}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** True while the producer must wait before its next step. Never set once the queue discards. */
  get full(): boolean {
    return !this.discarding && this.size >= this.waitAt;
  }

  /** Resolves once the producer may go on: the queue is down to `resumeAt`, or it discards everything anyway. */
  room(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Adds one item (dropped silently once the queue discards: its consumers have stopped). */
  push(item: T): void {
    if (this.discarding) return;
    if (this.closed) throw new Error('push after close');
    this.items.push(item);
    const size = this.size;
    if (size > this.highWater) this.highWater = size;
    if (this.takers.length > 0 && size >= this.batchWanted) this.wakeTakers();
  }

  /** No more items will come: consumers get what is left, then empty batches. */
  close(): void {
    this.closed = true;
    this.wakeTakers();
  }

  /** Drops what is queued and everything pushed later; releases the producer and every consumer. */
  discard(): void {
    this.discarding = true;
    this.closed = true;
    this.items = [];
    this.head = 0;
    this.wakeRoom();
    this.wakeTakers();
  }

  private batchWanted = 1;

  /**
   * The next batch of up to `max` items, once `max` are queued or the queue is
   * closed; an empty batch means the queue is closed and drained.
   */
  async take(max: number): Promise<T[]> {
    this.batchWanted = max;
    while (this.size < max && !this.closed) await new Promise<void>((resolve) => this.takers.push(resolve));
    const end = Math.min(this.head + max, this.items.length);
    const batch = this.items.slice(this.head, end);
    this.head = end;
    // Compact now and then, so the array does not keep every item ever pushed.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.size <= this.resumeAt) this.wakeRoom();
    return batch;
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  private wakeTakers(): void {
    const takers = this.takers;
    this.takers = [];
    for (const t of takers) t();
  }
}
