import * as zmq from 'zeromq';
import { TransportError } from './transport_error';

/** libzmq asks for authentication here (ZeroMQ RFC 27), in the socket's own context. */
const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

/** Counters of this process's ZAP handler (CURVE handshakes it decided). */
export interface ZapStats {
  allowed: number;
  denied: number;
}

const Z85_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/**
 * Z85 text of a binary CURVE key (ZeroMQ RFC 32): what `zmq.curveKeyPair()` returns
 * and what allowlists hold.
 *
 * @param key 32 bytes.
 * @throws TransportError BAD_CONFIG when the length is not a multiple of 4.
 */
export function z85Encode(key: Uint8Array): string {
  if (key.length % 4 !== 0) throw new TransportError('BAD_CONFIG', `z85Encode: ${key.length} bytes is not a multiple of 4`);
  let out = '';
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  for (let i = 0; i < key.length; i += 4) {
    let v = view.getUint32(i, false);
    let chunk = '';
    for (let j = 0; j < 5; j++) {
      chunk = Z85_CHARS[v % 85] + chunk;
      v = Math.floor(v / 85);
    }
    out += chunk;
  }
  return out;
}

interface Domain {
  readonly allowed: ReadonlySet<string>;
  readonly log: (line: string) => void;
}

/**
 * The process's one ZAP handler: a ROUTER at inproc://zeromq.zap.01 in ZeroMQ's
 * default context. Each server socket with an allowlist registers a ZAP domain;
 * a CURVE handshake on it succeeds only for a client public key in the list (200),
 * and fails otherwise (400: the client never gets a message through). Handshakes on
 * sockets without a registered domain are allowed (plain CURVE, as before).
 */
class ZapHandler {
  readonly stats: ZapStats = { allowed: 0, denied: 0 };
  private readonly domains = new Map<string, Domain>();
  private socket: zmq.Router | undefined;
  private binding: Promise<void> | undefined;
  private nextDomain = 1;

  async register(allowed: ReadonlySet<string>, log: (line: string) => void): Promise<string> {
    const name = `lnsgd-${process.pid}-${this.nextDomain++}`;
    this.domains.set(name, { allowed, log });
    try {
      await this.start();
    } catch (err: unknown) {
      this.domains.delete(name);
      throw err;
    }
    return name;
  }

  unregister(name: string): void {
    this.domains.delete(name);
    if (this.domains.size > 0 || this.socket === undefined) return;
    this.socket.close();
    this.socket = undefined;
    this.binding = undefined;
  }

  private start(): Promise<void> {
    if (this.binding !== undefined) return this.binding;
    const socket = new zmq.Router({ linger: 0 });
    this.socket = socket;
    this.binding = socket.bind(ZAP_ENDPOINT).then(
      () => void this.serve(socket),
      (err: unknown) => {
        socket.close();
        this.socket = undefined;
        this.binding = undefined;
        throw new TransportError('SOCKET', `ZAP handler: cannot bind ${ZAP_ENDPOINT}: ${err instanceof Error ? err.message : String(err)}`, err);
      },
    );
    return this.binding;
  }

  private async serve(socket: zmq.Router): Promise<void> {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch {
        return; // closed
      }
      // [peer, '', version, request id, domain, address, identity, mechanism, credentials…]
      const [peer, delimiter, , requestId, domain, address, , mechanism, credential] = frames;
      if (peer === undefined || delimiter === undefined || requestId === undefined) continue;
      const d = domain === undefined ? undefined : this.domains.get(domain.toString());
      let status = '200';
      let text = 'OK';
      let user = '';
      if (d !== undefined) {
        const key = mechanism?.toString() === 'CURVE' && credential?.length === 32 ? z85Encode(credential) : '';
        if (key !== '' && d.allowed.has(key)) {
          this.stats.allowed++;
          user = key;
        } else {
          this.stats.denied++;
          status = '400';
          text = 'client key not allowed';
          d.log(
            `zap: refused a ${mechanism?.toString() ?? '?'} handshake from ${address?.toString() ?? '?'}: client key ${key === '' ? '(none)' : key} is not in LNSGD_CURVE_ALLOWED_CLIENTS`,
          );
        }
      }
      try {
        await socket.send([peer, delimiter, '1.0', requestId, status, text, user, '']);
      } catch {
        return;
      }
    }
  }
}

const handler = new ZapHandler();

/**
 * Registers a CURVE client allowlist with this process's ZAP handler (started on
 * first use) and returns the ZAP domain the server socket must set (`zapDomain`).
 *
 * @param allowed Z85 public keys of the clients that may connect.
 * @param log receives one line per refused handshake.
 * @throws TransportError SOCKET when the handler cannot bind (another ZAP handler in this context).
 */
export function registerZapAllowlist(allowed: ReadonlySet<string>, log: (line: string) => void): Promise<string> {
  return handler.register(allowed, log);
}

/** Forgets a domain; the handler stops with the last one. */
export function unregisterZapAllowlist(domain: string): void {
  handler.unregister(domain);
}

/** CURVE handshakes this process's ZAP handler allowed and denied so far. */
export function zapStats(): Readonly<ZapStats> {
  return { ...handler.stats };
}
