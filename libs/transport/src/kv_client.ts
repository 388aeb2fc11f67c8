import { decodeMessage, encodeMessage, type BodyKind, type EnvelopeInit, type WireMessage } from './message';
import { pb, type pbTypes } from './proto';
import { TransportError } from './transport_error';
import { connectDealer, type Van, type VanOptions } from './van';

/** Counters of a {@link KvClient}. */
export interface KvClientStats {
  requests: number;
  timeouts: number;
  /** Replies that matched no pending request (late after a timeout, or duplicates). */
  unmatchedReplies: number;
  malformedReplies: number;
  /** Bytes of every frame sent (requests and notifications). */
  bytesSent: number;
  /** Bytes of every frame received (replies, unsolicited and malformed ones included). */
  bytesReceived: number;
}

/** Options of {@link KvClient.connect}. */
export interface KvClientOptions extends VanOptions {
  readonly endpoint: string;
  /** Default per-request timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Messages with request id 0 (e.g. Stop) go here. */
  readonly onUnsolicited?: (msg: WireMessage) => void;
}

interface Pending {
  readonly id: number;
  readonly resolve: (m: WireMessage) => void;
  /** A request sent in parts: its reply's parts so far (resolved with the last). */
  readonly parts?: WireMessage[];
  readonly resolveParts?: (m: WireMessage[]) => void;
  /** Told of each reply part as it arrives, before the request resolves. */
  readonly onPart?: (m: WireMessage, index: number) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The client end of the key-value layer (ps-lite's KVWorker over a DEALER van):
 * request/reply matched by request id, with a timeout per request. Requests may be
 * issued concurrently; the van serialises the sends.
 */
export class KvClient {
  /** Counters since connect. */
  readonly stats: KvClientStats = { requests: 0, timeouts: 0, unmatchedReplies: 0, malformedReplies: 0, bytesSent: 0, bytesReceived: 0 };
  private readonly van: Van;
  // The requests awaiting a reply: a few at most (one per step, heartbeats), so a linear
  // search. Not a Map: a long-lived Map reallocates its hash table as entries come and go,
  // and V8 allocates the new table in the old generation, as old as the Map. One set and
  // one delete per request left ~27 bytes of old-space garbage each: about half of what a
  // worker's RSS gained between mark-compacts on uv-toy.
  private readonly pending: Pending[] = [];
  private nextId = 1;

  private constructor(private readonly options: KvClientOptions) {
    this.van = connectDealer(options.endpoint, { ...options, onFrames: (f) => this.onFrames(f) });
  }

  /**
   * Connects to a server (ZeroMQ connects lazily and reconnects by itself).
   *
   * @param options endpoint, timeout, CURVE and the unsolicited-message handler.
   */
  static connect(options: KvClientOptions): KvClient {
    return new KvClient(options);
  }

  /** The server's endpoint. */
  get endpoint(): string {
    return this.van.endpoint;
  }

  /**
   * Sends a request and waits for its reply.
   *
   * @param envelope body (requestId is assigned here).
   * @param options raw data frames and a timeout override.
   * @returns the reply, whatever its body (an Error reply included).
   * @throws TransportError TIMEOUT, CLOSED or SOCKET.
   */
  request(envelope: EnvelopeInit, options: { frames?: readonly Uint8Array[]; timeoutMs?: number } = {}): Promise<WireMessage> {
    const requestId = this.nextId;
    this.nextId = this.nextId >= 0xfffffff0 ? 1 : this.nextId + 1;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    this.stats.requests++;
    return new Promise<WireMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.take(requestId);
        this.stats.timeouts++;
        reject(
          new TransportError(
            'TIMEOUT',
            `KvClient.request: no reply to ${envelope.body ?? 'request'}#${requestId} from ${this.endpoint} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.push({ id: requestId, resolve, reject, timer });
      this.van.send(this.counted(encodeMessage({ ...envelope, requestId }, options.frames))).catch((err: unknown) => {
        clearTimeout(timer);
        this.take(requestId);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  /**
   * Sends one request as several messages with one request id (a push in parts) and
   * collects its reply, which may come in parts too (`Params.part` of `parts`, in
   * order): resolves with the reply's messages — one for a whole reply or an Error.
   * `onPart` sees each part of a reply in parts as it arrives (a part sent again after
   * a server dropped a step arrives again), so that a caller can copy it out and free
   * its frame before the last part is in; if it throws, the request rejects with that.
   *
   * @param messages the request's messages, sent in order.
   * @param options a timeout override and the per-part hook.
   * @throws TransportError TIMEOUT, CLOSED or SOCKET.
   */
  requestParts(
    messages: readonly { envelope: EnvelopeInit; frames: readonly Uint8Array[] }[],
    options: { timeoutMs?: number; onPart?: (m: WireMessage, index: number) => void } = {},
  ): Promise<WireMessage[]> {
    const requestId = this.nextId;
    this.nextId = this.nextId >= 0xfffffff0 ? 1 : this.nextId + 1;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    this.stats.requests++;
    return new Promise<WireMessage[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.take(requestId);
        this.stats.timeouts++;
        reject(new TransportError('TIMEOUT', `KvClient.requestParts: no reply to request #${requestId} from ${this.endpoint} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.push({ id: requestId, resolve: (m) => resolve([m]), resolveParts: resolve, parts: [], onPart: options.onPart, reject, timer });
      for (const m of messages) {
        this.van.send(this.counted(encodeMessage({ ...m.envelope, requestId }, m.frames))).catch((err: unknown) => {
          clearTimeout(timer);
          if (this.take(requestId) !== undefined) reject(err instanceof Error ? err : new Error(String(err)));
        });
      }
    });
  }

  /**
   * {@link requestParts} expecting `body` in every part of the reply.
   *
   * @throws TransportError REMOTE_ERROR (with `remote`) for an Error reply, UNEXPECTED_REPLY for another body.
   */
  async callParts(
    messages: readonly { envelope: EnvelopeInit; frames: readonly Uint8Array[] }[],
    expect: { body: BodyKind; timeoutMs?: number; onPart?: (m: WireMessage, index: number) => void },
  ): Promise<WireMessage[]> {
    const replies = await this.requestParts(messages, expect);
    const context = `${messages[0]?.envelope.body ?? 'request'} in ${messages.length} parts to ${this.endpoint}`;
    return replies.map((r) => expectReply(r, expect.body, context));
  }

  /**
   * Sends a request and returns the reply's body of the expected kind.
   *
   * @param envelope the request.
   * @param expect body kind of a successful reply, and optional frames / timeout.
   * @throws TransportError REMOTE_ERROR (with `remote`) for an Error reply, UNEXPECTED_REPLY for another body.
   */
  async call(envelope: EnvelopeInit, expect: { body: BodyKind; frames?: readonly Uint8Array[]; timeoutMs?: number }): Promise<WireMessage> {
    const reply = await this.request(envelope, expect);
    return expectReply(reply, expect.body, `${envelope.body ?? 'request'} to ${this.endpoint}`);
  }

  /** Sends without waiting for a reply (heartbeats). Errors are swallowed: best effort. */
  notify(envelope: EnvelopeInit): void {
    this.van.send(this.counted(encodeMessage({ ...envelope, requestId: 0 }))).catch(() => undefined);
  }

  /** Closes the socket; pending requests reject with CLOSED. */
  close(): Promise<void> {
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new TransportError('CLOSED', `KvClient.close: request #${p.id} to ${this.endpoint} abandoned`));
    }
    this.van.close();
    return this.van.done.catch(() => undefined);
  }

  /** Removes and returns the pending request `id` (order does not matter: the last one fills its slot). */
  private take(id: number): Pending | undefined {
    const i = this.pending.findIndex((p) => p.id === id);
    if (i < 0) return undefined;
    const p = this.pending[i];
    const last = this.pending.pop() as Pending;
    if (i < this.pending.length) this.pending[i] = last;
    return p;
  }

  private counted(frames: Uint8Array[]): Uint8Array[] {
    for (const f of frames) this.stats.bytesSent += f.byteLength;
    return frames;
  }

  private onFrames(frames: Buffer[]): void {
    for (const f of frames) this.stats.bytesReceived += f.byteLength;
    let msg: WireMessage;
    try {
      msg = decodeMessage(frames);
    } catch {
      this.stats.malformedReplies++;
      return;
    }
    const id = msg.envelope.requestId;
    if (id === 0) {
      this.options.onUnsolicited?.(msg);
      return;
    }
    const waiting = this.pending.find((q) => q.id === id);
    const part = msg.envelope.params;
    const parts = part?.parts ?? 0;
    if (waiting?.parts !== undefined && parts > 1) {
      // A reply in parts: collect them in order; the last one resolves the request. A
      // server that dropped a step sends its parts again from an earlier one.
      const index = part?.part ?? 0;
      if (index > waiting.parts.length) {
        this.stats.malformedReplies++;
        return;
      }
      waiting.parts.length = index;
      waiting.parts.push(msg);
      try {
        waiting.onPart?.(msg, index);
      } catch (err: unknown) {
        clearTimeout(waiting.timer);
        this.take(id);
        waiting.reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (waiting.parts.length < parts) return;
    }
    const p = this.take(id);
    if (p === undefined) {
      this.stats.unmatchedReplies++;
      return;
    }
    clearTimeout(p.timer);
    if (p.resolveParts !== undefined && p.parts !== undefined && p.parts.length > 0 && msg.envelope.body === 'params') p.resolveParts(p.parts);
    else p.resolve(msg);
  }
}

/**
 * A reply as {@link KvClient.call} accepts it (pure, so that it can be fuzzed): the
 * expected body, else REMOTE_ERROR for an Error reply, else UNEXPECTED_REPLY.
 *
 * @param context the request and peer, for messages.
 * @throws TransportError REMOTE_ERROR (with `remote`) or UNEXPECTED_REPLY.
 */
export function expectReply(reply: WireMessage, body: BodyKind, context: string): WireMessage {
  const got = reply.envelope.body;
  if (got === body) return reply;
  if (got === 'error' && reply.envelope.error) throw remoteError(reply.envelope.error, context);
  throw new TransportError('UNEXPECTED_REPLY', `KvClient.call: ${context} expected a ${body} reply, got ${got ?? 'none'}`);
}

/** Turns an Error reply into a TransportError REMOTE_ERROR carrying the remote code. */
export function remoteError(e: pbTypes.IError, context: string): TransportError {
  const code = e.code ?? 0;
  const codeName = pb.ErrorCode[code] ?? String(code);
  const err = new TransportError('REMOTE_ERROR', `${context}: ${codeName}: ${e.message ?? ''}`);
  const share = e.share ? { epoch: e.share.epoch ?? 0, index: e.share.index ?? 0, count: e.share.count ?? 0 } : undefined;
  err.remote = { code, codeName, message: e.message ?? '', currentVersion: e.currentVersion ?? 0, ...(share !== undefined ? { share } : {}) };
  return err;
}
