import { pb, pbTypes, PROTOCOL_VERSION } from './proto';
import { TransportError } from './transport_error';

/** An Envelope's plain properties (what callers build). */
export type EnvelopeInit = pbTypes.Envelope.$Properties;

/** One decoded message: the protobuf header and the raw data frames after it. */
export interface WireMessage {
  readonly envelope: pbTypes.Envelope;
  /** Raw data frames, one per TensorFrame the body describes, in order. */
  readonly frames: readonly Buffer[];
}

/** The body kinds of an Envelope. */
export type BodyKind = NonNullable<pbTypes.Envelope['body']>;

/**
 * Frames of a message: the encoded Envelope (protocol set to {@link PROTOCOL_VERSION}
 * unless given), then the data frames untouched (ZeroMQ sends them without copying).
 *
 * @param envelope header fields and exactly one body.
 * @param frames raw tensor bytes.
 */
export function encodeMessage(envelope: EnvelopeInit, frames: readonly Uint8Array[] = []): Uint8Array[] {
  const header = pb.Envelope.encode({ protocol: PROTOCOL_VERSION, ...envelope }).finish();
  return [header, ...frames];
}

/**
 * Decodes the frames of a message (without a ROUTER identity frame).
 *
 * @param frames [header, ...data].
 * @throws TransportError MALFORMED when the header is missing, not protobuf, or has no body.
 */
export function decodeMessage(frames: readonly Buffer[]): WireMessage {
  if (frames.length === 0) throw new TransportError('MALFORMED', 'decodeMessage: empty message (no header frame)');
  let envelope: pbTypes.Envelope;
  try {
    envelope = pb.Envelope.decode(frames[0]);
  } catch (err: unknown) {
    throw new TransportError(
      'MALFORMED',
      `decodeMessage: header frame of ${frames[0].length} bytes is not an Envelope: ${err instanceof Error ? err.message : String(err)}`,
      err,
    );
  }
  if (envelope.body === undefined) throw new TransportError('MALFORMED', 'decodeMessage: Envelope has no body');
  return { envelope, frames: frames.slice(1) };
}

/** A one-line description for logs, e.g. `push#12 {rank:1, step:40} +1 frame(4096 B)`. */
export function debugString(msg: WireMessage): string {
  const kind = msg.envelope.body ?? 'none';
  const body: unknown = kind === 'none' ? undefined : msg.envelope[kind];
  const bytes = msg.frames.map((f) => `${f.length} B`).join(', ');
  return `${kind}#${msg.envelope.requestId} ${JSON.stringify(body)}${msg.frames.length > 0 ? ` +${msg.frames.length} frame(${bytes})` : ''}`;
}
