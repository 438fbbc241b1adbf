import { HashingSlots } from './hashing-slots';

describe('HashingSlots', () => {
  it('runs at most `slots` tasks at once, queues `queue` more and refuses the rest at once', async () => {
    const slots = new HashingSlots(2, 1);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve('done');
        });
      });
    const busy = () => new Error('busy');
    const accepted = [slots.run(task, busy), slots.run(task, busy), slots.run(task, busy)];
    await expect(slots.run(task, busy)).rejects.toThrow('busy');
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    while (releases.length) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(Promise.all(accepted)).resolves.toEqual(['done', 'done', 'done']);
    expect(most).toBe(2);
    expect(slots.inUse).toBe(0);
  });

  it('gives the slot back when a task fails', async () => {
    const slots = new HashingSlots(1, 0);
    await expect(
      slots.run(
        () => Promise.reject(new Error('scrypt failed')),
        () => new Error('busy'),
      ),
    ).rejects.toThrow('scrypt failed');
    await expect(
      slots.run(
        () => Promise.resolve(1),
        () => new Error('busy'),
      ),
    ).resolves.toBe(1);
  });
});
