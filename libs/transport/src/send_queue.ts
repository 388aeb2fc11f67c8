/**
 * Serialises sends on one ZeroMQ socket: zeromq.js allows one in-flight `send` per
 * socket and rejects a second with EBUSY, so every send goes through this queue.
 * Each call resolves or rejects with its own send; a failure does not stall the queue.
 */
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  /** @param sendOne performs one socket send (e.g. `(f) => socket.send(f)`). */
  constructor(private readonly sendOne: (frames: Uint8Array[]) => Promise<void>) {}

  /**
   * Queues one multipart message.
   *
   * @param frames the message's frames.
   * @returns resolves once ZeroMQ has taken the message.
   */
  send(frames: Uint8Array[]): Promise<void> {
    const run = this.tail.then(() => this.sendOne(frames));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
