import { readFileSync } from 'node:fs';
import * as zmq from 'zeromq';
import { TransportError } from './transport_error';

/** A CURVE key pair, Z85-encoded (40 characters each). */
export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

/**
 * CURVE settings. A server needs its own key pair; a client needs its own pair and
 * the server's public key. Absent: plain TCP.
 */
export interface CurveConfig {
  readonly own: CurveKeyPair;
  /** The server's public key (clients only). */
  readonly serverPublicKey?: string;
  /**
   * Servers only: Z85 public keys of the clients allowed to connect, checked by a ZAP
   * handler (ZeroMQ RFC 27) during the CURVE handshake. Absent: any client holding the
   * server's public key may connect.
   */
  readonly allowedClients?: ReadonlySet<string>;
}

/** A fresh CURVE key pair (libzmq's zmq_curve_keypair). */
export function curveKeyPair(): CurveKeyPair {
  if (!zmq.capability.curve) throw new TransportError('BAD_CONFIG', 'curveKeyPair: this libzmq build has no CURVE support');
  const { publicKey, secretKey } = zmq.curveKeyPair();
  return { publicKey, secretKey };
}

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/**
 * Reads CURVE keys from the environment, each variable holding either the key
 * itself (40 Z85 characters) or a path to a file containing it:
 *   LNSGD_CURVE_PUBLIC_KEY, LNSGD_CURVE_SECRET_KEY: this process's pair;
 *   LNSGD_CURVE_SERVER_KEY: the server's public key (clients);
 *   LNSGD_CURVE_ALLOWED_CLIENTS (servers, optional): the client public keys allowed to
 *   connect, either a file of keys (one per line; `#` starts a comment line) or keys separated by
 *   commas; a client with another key fails the handshake and reaches nothing.
 * Returns undefined when neither own key is set (CURVE off).
 *
 * @param env e.g. process.env.
 * @param role 'server' or 'client' (a client also needs the server key).
 * @throws TransportError BAD_CONFIG naming the variable that is missing, unreadable or not a key.
 */
export function curveConfigFromEnv(env: NodeJS.ProcessEnv, role: 'server' | 'client'): CurveConfig | undefined {
  const pub = env['LNSGD_CURVE_PUBLIC_KEY'];
  const sec = env['LNSGD_CURVE_SECRET_KEY'];
  if (pub === undefined && sec === undefined) return undefined;
  const own = { publicKey: readKey('LNSGD_CURVE_PUBLIC_KEY', pub), secretKey: readKey('LNSGD_CURVE_SECRET_KEY', sec) };
  if (role === 'server') {
    const list = env['LNSGD_CURVE_ALLOWED_CLIENTS'];
    return list === undefined || list === '' ? { own } : { own, allowedClients: readAllowedClients(list) };
  }
  return { own, serverPublicKey: readKey('LNSGD_CURVE_SERVER_KEY', env['LNSGD_CURVE_SERVER_KEY']) };
}

function readKey(name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new TransportError('BAD_CONFIG', `curveConfigFromEnv: ${name} is not set (CURVE needs both keys of a pair, and clients the server key)`);
  if (Z85_KEY.test(value)) return value;
  let text: string;
  try {
    text = readFileSync(value, 'utf8').trim();
  } catch (err: unknown) {
    throw new TransportError('BAD_CONFIG', `curveConfigFromEnv: ${name} is neither a 40-character Z85 key nor a readable file: ${value}`, err);
  }
  if (!Z85_KEY.test(text)) throw new TransportError('BAD_CONFIG', `curveConfigFromEnv: file ${value} (from ${name}) does not hold a 40-character Z85 key`);
  return text;
}

/**
 * Parses LNSGD_CURVE_ALLOWED_CLIENTS: Z85 keys separated by commas, or a path to a file
 * with one key per line (blank lines and `#` comments ignored).
 *
 * @param value the variable's value.
 * @throws TransportError BAD_CONFIG naming the file and line of an entry that is not a key.
 */
export function readAllowedClients(value: string): ReadonlySet<string> {
  const inline = value.split(',').map((k) => k.trim());
  if (inline.every((k) => Z85_KEY.test(k))) return new Set(inline);
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err: unknown) {
    throw new TransportError(
      'BAD_CONFIG',
      `curveConfigFromEnv: LNSGD_CURVE_ALLOWED_CLIENTS is neither comma-separated 40-character Z85 keys nor a readable file: ${value}`,
      err,
    );
  }
  const keys = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    // '#' is a Z85 character too: a line is a key when it is one, else a comment when it starts with '#'.
    if (line === '' || (line.startsWith('#') && !Z85_KEY.test(line))) return;
    if (!Z85_KEY.test(line))
      throw new TransportError('BAD_CONFIG', `curveConfigFromEnv: ${value}:${i + 1} (LNSGD_CURVE_ALLOWED_CLIENTS) is not a 40-character Z85 public key`);
    keys.add(line);
  });
  return keys;
}

/**
 * CURVE for a socket between holders of the same client pair: the metrics service's
 * estimation-round host (server) and the workers (clients), which mount the same client
 * keys (LNSGD_CURVE_PUBLIC_KEY/SECRET_KEY). The host serves with that pair and admits
 * only that public key; a worker takes it as the server's key. No new secret: a peer
 * without the pair fails the handshake and reaches nothing.
 *
 * @param shared this process's config from curveConfigFromEnv (undefined: CURVE off).
 * @param role 'server' for the host, 'client' for a worker.
 */
export function sharedPairCurve(shared: CurveConfig | undefined, role: 'server' | 'client'): CurveConfig | undefined {
  if (shared === undefined) return undefined;
  const { own } = shared;
  return role === 'server' ? { own, allowedClients: new Set([own.publicKey]) } : { own, serverPublicKey: own.publicKey };
}
