import { BoundedQueue } from '../../../shared/core/bounded-queue';

/** The queue between the parser and the DynamoDB writers (issue 16): its bound, its back-pressure, and how it stops. */
describe('BoundedQueue', () => {
  it('makes the producer wait at its bound and lets it go on when a batch is taken', async () => {
    const queue = new BoundedQueue<number>(10, 3);
    expect(queue.waitAt).toBe(8);
    for (let i = 0; i < 7; i++) queue.push(i);
    expect(queue.full).toBe(false);
    queue.push(7);
    expect(queue.full).toBe(true);
    let released = false;
    const waiting = queue.room().then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    expect(await queue.take(5)).toEqual([0, 1, 2, 3, 4]);
    await waiting;
    expect(released).toBe(true);
    expect(queue.full).toBe(false);
  });

  it('never holds more than its capacity when the producer adds a whole step (stepItems) between looks at `full`', async () => {
    const queue = new BoundedQueue<number>(20, 4);
    const taken: number[] = [];
    const consumer = (async () => {
      for (let batch = await queue.take(5); batch.length > 0; batch = await queue.take(5)) taken.push(...batch);
    })();
    let next = 0;
    for (let step = 0; step < 200; step++) {
      if (queue.full) await queue.room();
      for (let i = 0; i < 4; i++) queue.push(next++);
    }
    queue.close();
    await consumer;
    expect(taken).toEqual(Array.from({ length: 800 }, (_, i) => i));
    expect(queue.highWater).toBeLessThanOrEqual(20);
    expect(queue.highWater).toBeGreaterThanOrEqual(queue.waitAt);
  });

  it('gives a consumer a full batch, or what is left once closed, then empty batches', async () => {
    const queue = new BoundedQueue<string>(10);
    const first = queue.take(3);
    queue.push('a');
    queue.push('b');
    queue.push('c');
    expect(await first).toEqual(['a', 'b', 'c']);
    queue.push('d');
    const rest = queue.take(3);
    queue.close();
    expect(await rest).toEqual(['d']);
    expect(await queue.take(3)).toEqual([]);
    expect(() => queue.push('e')).toThrow('push after close');
  });

  it('discarding drops what is queued and what comes later, and releases the producer and the consumers', async () => {
    const queue = new BoundedQueue<number>(4);
    const consumer = queue.take(10);
    for (let i = 0; i < 4; i++) queue.push(i);
    expect(queue.full).toBe(true);
    const producer = queue.room();
    queue.discard();
    await producer;
    expect(await consumer).toEqual([]);
    queue.push(99);
    expect(queue.size).toBe(0);
    expect(queue.full).toBe(false);
  });

  it('with resumeAt, lets a waiting producer go on only once the queue is down to it', async () => {
    const queue = new BoundedQueue<number>(10, 1, 4);
    for (let i = 0; i < 10; i++) queue.push(i);
    let released = false;
    const waiting = queue.room().then(() => (released = true));
    await queue.take(3);
    await Promise.resolve();
    expect(queue.size).toBe(7);
    expect(released).toBe(false);
    await queue.take(3);
    await waiting;
    expect(queue.size).toBe(4);
    expect(released).toBe(true);
  });

  it('refuses a step larger than the queue, and a resumeAt at or above where the producer waits', () => {
    expect(() => new BoundedQueue(5, 6)).toThrow();
    expect(() => new BoundedQueue(0)).toThrow();
    expect(() => new BoundedQueue(10, 1, 10)).toThrow();
  });
});
