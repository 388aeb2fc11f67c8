/**
 * Frames below this size are left to the collector: zeromq.js copies small messages into
 * Buffers that may share a pooled ArrayBuffer with other Buffers.
 */
export const MIN_RELEASE_BYTES = 64 * 1024;

/**
 * The Node flags that give a process ArrayBuffer.prototype.transfer, which
 * {@link releaseFrame} needs: V8 ships it from 11.4 (Node 21); Node 20's V8 11.3 has it
 * behind this flag, and a later V8 may no longer know the flag, so it is given only
 * where the running V8 is older than 11.4. Part of every cluster process's flags.
 */
export const RELEASE_FRAME_NODE_FLAGS: readonly string[] = v8Before(11, 4) ? ['--harmony-rab-gsab-transfer'] : [];

function v8Before(major: number, minor: number): boolean {
  const [a = 0, b = 0] = process.versions.v8.split('.').map(Number);
  return a < major || (a === major && b < minor);
}

/** ArrayBuffer.prototype.transfer (see {@link RELEASE_FRAME_NODE_FLAGS}). */
type WithTransfer = ArrayBuffer & { transfer?: (newLength?: number) => ArrayBuffer };

/** Whether this process can release frames (ArrayBuffer.prototype.transfer exists). */
export function canReleaseFrames(): boolean {
  return typeof (ArrayBuffer.prototype as WithTransfer).transfer === 'function';
}

/**
 * Frees a received ZeroMQ frame's memory now instead of at V8's next collection, by
 * detaching its ArrayBuffer (`transfer(0)`). zeromq.js reports every received frame to
 * V8 as external memory, freed only when its Buffer is collected, and V8 answers each
 * ~64 MB received with a mark-compact: at 4 MB a round trip, one every few steps.
 *
 * Call it only once the frame's bytes are copied out and nothing will read it again;
 * afterwards it has length 0. It touches only a frame that owns its whole ArrayBuffer
 * of at least {@link MIN_RELEASE_BYTES} (never a pooled or shared one), and does nothing
 * where transfer is missing (Node 20 without the cluster's node flags).
 *
 * @param bytes a received frame.
 * @returns whether its memory was freed.
 * @example releaseFrame(frames[1]) // true on a 1 MiB frame, with the cluster's flags
 */
export function releaseFrame(bytes: Uint8Array): boolean {
  const ab = bytes.buffer as WithTransfer;
  if (!(ab instanceof ArrayBuffer) || ab.transfer === undefined) return false;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== ab.byteLength || ab.byteLength < MIN_RELEASE_BYTES) return false;
  try {
    ab.transfer(0);
    return true;
  } catch {
    // Not detachable (e.g. a buffer a native addon pinned): the collector frees it as before.
    return false;
  }
}
