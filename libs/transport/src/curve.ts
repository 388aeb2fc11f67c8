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
 *   LNSGD_CURVE_SERVER_KEY: the server's public key (clients).
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
  if (role === 'server') return { own };
  return { own, serverPublicKey: readKey('LNSGD_CURVE_SERVER_KEY', env['LNSGD_CURVE_SERVER_KEY']) };
}

function readKey(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new TransportError('BAD_CONFIG', `curveConfigFromEnv: ${name} is not set (CURVE needs both keys of a pair, and clients the server key)`);
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
