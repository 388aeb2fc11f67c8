import * as zmq from 'zeromq';
import type { CurveConfig } from './curve';
import { SendQueue } from './send_queue';
import { TransportError } from './transport_error';
import { registerZapAllowlist, unregisterZapAllowlist } from './zap';

/** Socket settings shared by both ends. */
export interface VanOptions {
  /**
   * Messages queued per peer before sends wait (ZMQ_SNDHWM/ZMQ_RCVHWM). Kept low:
   * synchronous training has at most a few messages in flight per peer, and a low
   * mark bounds the memory a slow peer can pin (default 16).
   */
  readonly highWaterMark?: number;
  /**
   * Hard limit on an inbound message, enforced by libzmq (ZMQ_MAXMSGSIZE): a larger
   * one drops the connection. Set it above the application's own limit, which
   * replies with a typed error instead (default: none).
   */
  readonly hardMaxMessageBytes?: number;
  /** CURVE encryption and authentication (default: plain TCP). */
  readonly curve?: CurveConfig;
  /** Log lines about refused connections, e.g. a CURVE key not in the allowlist (default: none). */
  readonly log?: (line: string) => void;
}

/** A ZeroMQ socket with one in-flight send, linger 0, and a receive loop. */
export interface Van {
  /** The bound endpoint (servers; tcp://127.0.0.1:0 resolved to the real port), else the connected one. */
  readonly endpoint: string;
  /** Queues one multipart message; resolves once ZeroMQ has taken it. */
  send(frames: Uint8Array[]): Promise<void>;
  /** Closes the socket at once (linger 0: unsent messages are dropped). */
  close(): void;
  /** Resolves when the receive loop has ended (after close). */
  readonly done: Promise<void>;
}

/** Where received messages go: the frames as ZeroMQ delivered them. */
export type FramesHandler = (frames: Buffer[]) => void;

/**
 * Binds a ROUTER socket (the server side of ps-lite's van) and starts receiving.
 *
 * @param endpoint e.g. tcp://127.0.0.1:0 (port 0: any free port; read `endpoint` back).
 * @param options socket settings and the handler receiving [identity, header, ...data].
 * @throws TransportError SOCKET when the bind fails.
 */
export async function bindRouter(endpoint: string, options: VanOptions & { readonly onFrames: FramesHandler }): Promise<Van> {
  const socket = new zmq.Router({ ...socketOptions(options), mandatory: false });
  let zapDomain: string | undefined;
  if (options.curve !== undefined) {
    socket.curveServer = true;
    socket.curveSecretKey = options.curve.own.secretKey;
    socket.curvePublicKey = options.curve.own.publicKey;
    if (options.curve.allowedClients !== undefined) {
      try {
        zapDomain = await registerZapAllowlist(options.curve.allowedClients, options.log ?? (() => undefined));
      } catch (err: unknown) {
        socket.close();
        throw err;
      }
      socket.zapDomain = zapDomain;
    }
  }
  const release = (): void => {
    if (zapDomain !== undefined) unregisterZapAllowlist(zapDomain);
  };
  try {
    await socket.bind(endpoint);
  } catch (err: unknown) {
    socket.close();
    release();
    throw new TransportError('SOCKET', `bindRouter: cannot bind ${endpoint}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  return startVan(socket, { endpoint: socket.lastEndpoint ?? endpoint, onFrames: options.onFrames, onClose: release });
}

/**
 * Connects a DEALER socket to a server (the client side) and starts receiving.
 *
 * @param endpoint the server's endpoint.
 * @param options socket settings and the handler receiving [header, ...data].
 * @throws TransportError BAD_CONFIG when CURVE is set without the server's key.
 */
export function connectDealer(endpoint: string, options: VanOptions & { readonly onFrames: FramesHandler }): Van {
  const socket = new zmq.Dealer(socketOptions(options));
  if (options.curve !== undefined) {
    if (options.curve.serverPublicKey === undefined) {
      socket.close();
      throw new TransportError('BAD_CONFIG', `connectDealer: CURVE for ${endpoint} needs the server's public key`);
    }
    socket.curveServerKey = options.curve.serverPublicKey;
    socket.curvePublicKey = options.curve.own.publicKey;
    socket.curveSecretKey = options.curve.own.secretKey;
  }
  try {
    socket.connect(endpoint);
  } catch (err: unknown) {
    socket.close();
    throw new TransportError('SOCKET', `connectDealer: cannot connect to ${endpoint}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  return startVan(socket, { endpoint, onFrames: options.onFrames });
}

function socketOptions(options: VanOptions): { linger: number; sendHighWaterMark: number; receiveHighWaterMark: number; maxMessageSize: number } {
  const hwm = options.highWaterMark ?? 16;
  return {
    // Never block process exit on unsent messages: a stopped peer would hang us.
    linger: 0,
    sendHighWaterMark: hwm,
    receiveHighWaterMark: hwm,
    maxMessageSize: options.hardMaxMessageBytes ?? -1,
  };
}

function startVan(socket: zmq.Router | zmq.Dealer, opts: { endpoint: string; onFrames: FramesHandler; onClose?: () => void }): Van {
  const queue = new SendQueue((frames) => socket.send(frames));
  let closed = false;
  const done = (async () => {
    while (!closed) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (err: unknown) {
        if (closed || socket.closed) return;
        // EAGAIN/ETERM on close races; anything else ends the loop too, loudly for the owner.
        throw new TransportError('SOCKET', `van(${opts.endpoint}): receive failed: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      opts.onFrames(frames);
    }
  })();
  return {
    endpoint: opts.endpoint,
    send: async (frames) => {
      if (closed) throw new TransportError('CLOSED', `van(${opts.endpoint}).send: socket is closed`);
      try {
        await queue.send(frames);
      } catch (err: unknown) {
        if (closed) throw new TransportError('CLOSED', `van(${opts.endpoint}).send: socket closed while sending`, err);
        throw new TransportError('SOCKET', `van(${opts.endpoint}).send: ${err instanceof Error ? err.message : String(err)}`, err);
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      socket.close();
      opts.onClose?.();
    },
    done,
  };
}
