import { decodeMessage, encodeMessage, type EnvelopeInit, type WireMessage } from './message';
import { pb, PROTOCOL_VERSION } from './proto';
import { TransportError } from './transport_error';
import { bindRouter, type Van, type VanOptions } from './van';

/** Counters of a {@link KvServer} (plain numbers: a metrics exporter reads them). */
export interface KvServerStats {
  messagesReceived: number;
  bytesReceived: number;
  messagesSent: number;
  bytesSent: number;
  /** Frames that did not decode as an Envelope (answered MALFORMED when possible). */
  malformed: number;
  /** Messages over maxMessageBytes (answered TOO_LARGE, never decoded). */
  tooLarge: number;
  /** Envelopes of another protocol version (answered VERSION_MISMATCH). */
  versionMismatch: number;
  /** Replies ZeroMQ refused (peer gone, queue full). */
  sendFailures: number;
}

/** One request as the application sees it. */
export interface ServerRequest {
  /** The ROUTER identity of the sender (reply address). */
  readonly peer: Buffer;
  readonly message: WireMessage;
  /** Total bytes of all frames. */
  readonly bytes: number;
}

/** Options of {@link KvServer.bind}. */
export interface KvServerOptions extends VanOptions {
  /** e.g. tcp://127.0.0.1:0 or tcp://0.0.0.0:7000. */
  readonly endpoint: string;
  /** Largest accepted message in bytes (all frames); larger ones get TOO_LARGE (default 1 GiB). */
  readonly maxMessageBytes?: number;
  /** Receives every well-formed request of this protocol version. */
  readonly onRequest: (req: ServerRequest) => void;
  /** Log lines about refused input (default: none). */
  readonly log?: (line: string) => void;
  /** The server's current version, set in every Error reply this layer sends (default 0). */
  readonly currentVersion?: () => number;
}

/**
 * The server end of the key-value layer (ps-lite's KVServer over a ROUTER van):
 * decodes requests, refuses malformed, oversized and wrong-version ones with a typed
 * Error reply, a counter and a log line, and sends replies through the van's queue.
 */
export class KvServer {
  /** Counters since bind. */
  readonly stats: KvServerStats = {
    messagesReceived: 0,
    bytesReceived: 0,
    messagesSent: 0,
    bytesSent: 0,
    malformed: 0,
    tooLarge: 0,
    versionMismatch: 0,
    sendFailures: 0,
  };
  private van: Van | undefined;
  private readonly maxBytes: number;
  private readonly log: (line: string) => void;

  private constructor(private readonly options: KvServerOptions) {
    this.maxBytes = options.maxMessageBytes ?? 1 << 30;
    this.log = options.log ?? (() => undefined);
  }

  /**
   * Binds the ROUTER socket and starts serving.
   *
   * @param options endpoint, limits, CURVE and the request handler.
   * @throws TransportError SOCKET when the endpoint cannot be bound.
   */
  static async bind(options: KvServerOptions): Promise<KvServer> {
    const server = new KvServer(options);
    server.van = await bindRouter(options.endpoint, { ...options, onFrames: (f) => server.onFrames(f) });
    return server;
  }

  /** The bound endpoint, with the real port when bound to port 0. */
  get endpoint(): string {
    return this.requireVan().endpoint;
  }

  /**
   * Sends a message to a peer, echoing `requestId` (0 for an unsolicited message).
   * Never throws: a failed send is counted and logged (the peer may have gone).
   *
   * @param peer the ROUTER identity from the request.
   * @param envelope header and body.
   * @param frames raw data frames.
   */
  send(peer: Buffer, envelope: EnvelopeInit, frames: readonly Uint8Array[] = []): Promise<void> {
    const parts = encodeMessage(envelope, frames);
    let bytes = 0;
    for (const p of parts) bytes += p.byteLength;
    this.stats.messagesSent++;
    this.stats.bytesSent += bytes;
    return this.requireVan()
      .send([peer, ...parts])
      .catch((err: unknown) => {
        this.stats.sendFailures++;
        this.log(
          `kv-server: send of ${envelope.body ?? 'message'} to peer ${peer.toString('hex')} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
  }

  /**
   * Replies with a typed Error.
   *
   * @param req the request refused.
   * @param error code (a pb.ErrorCode), message and the server's current version.
   */
  sendError(req: { peer: Buffer; requestId: number }, error: { code: number; message: string; currentVersion?: number }): Promise<void> {
    const currentVersion = error.currentVersion ?? this.options.currentVersion?.() ?? 0;
    return this.send(req.peer, { requestId: req.requestId, error: { code: error.code, message: error.message, currentVersion } });
  }

  /** Closes the socket at once. */
  close(): Promise<void> {
    const van = this.requireVan();
    van.close();
    return van.done.catch(() => undefined);
  }

  private requireVan(): Van {
    if (this.van === undefined) throw new TransportError('CLOSED', 'KvServer: not bound');
    return this.van;
  }

  private onFrames(frames: Buffer[]): void {
    this.stats.messagesReceived++;
    let bytes = 0;
    for (const f of frames) bytes += f.length;
    this.stats.bytesReceived += bytes;
    const peer = frames[0];
    if (frames.length < 2) {
      this.stats.malformed++;
      this.log(`kv-server: dropped a message of ${frames.length} frame(s): no header frame`);
      return;
    }
    if (bytes > this.maxBytes) {
      this.stats.tooLarge++;
      this.log(`kv-server: refused a ${bytes}-byte message from ${peer.toString('hex')}: over the ${this.maxBytes}-byte limit`);
      void this.sendError(
        { peer, requestId: peekRequestId(frames[1]) },
        { code: pb.ErrorCode.TOO_LARGE, message: `message of ${bytes} bytes exceeds the server's limit of ${this.maxBytes}` },
      );
      return;
    }
    let message: WireMessage;
    try {
      message = decodeMessage(frames.slice(1));
    } catch (err: unknown) {
      this.stats.malformed++;
      const why = err instanceof Error ? err.message : String(err);
      this.log(`kv-server: malformed message from ${peer.toString('hex')}: ${why}`);
      void this.sendError({ peer, requestId: peekRequestId(frames[1]) }, { code: pb.ErrorCode.MALFORMED, message: why });
      return;
    }
    if (message.envelope.protocol !== PROTOCOL_VERSION) {
      this.stats.versionMismatch++;
      this.log(`kv-server: protocol ${message.envelope.protocol} from ${peer.toString('hex')}, this server speaks ${PROTOCOL_VERSION}`);
      void this.sendError(
        { peer, requestId: message.envelope.requestId },
        { code: pb.ErrorCode.VERSION_MISMATCH, message: `protocol ${message.envelope.protocol} is not supported; this server speaks ${PROTOCOL_VERSION}` },
      );
      return;
    }
    this.options.onRequest({ peer, message, bytes });
  }
}

/**
 * The request id of a header that may not decode (oversized, truncated, no body):
 * Envelope field 2 is a varint, read by walking the fields before it; 0 when the
 * bytes do not get that far.
 *
 * @param header the first frame of a message.
 */
export function peekRequestId(header: Uint8Array): number {
  const r = { pos: 0 };
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (r.pos >= header.length) return undefined;
      const b = header[r.pos++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    return undefined;
  };
  while (r.pos < header.length) {
    const tag = varint();
    if (tag === undefined) return 0;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 2 && wire === 0) return (varint() ?? 0) >>> 0;
    if (wire === 0) {
      if (varint() === undefined) return 0;
    } else if (wire === 1) r.pos += 8;
    else if (wire === 5) r.pos += 4;
    else if (wire === 2) {
      const len = varint();
      if (len === undefined) return 0;
      r.pos += len;
    } else return 0;
  }
  return 0;
}
