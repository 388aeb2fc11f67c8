export { CodecError, CODEC_ERROR_CODES } from './codec_error';
export type { CodecErrorCode } from './codec_error';
export { float32View, float32Bytes, HOST_LITTLE_ENDIAN } from './float32_view';
export type { Float32ViewResult } from './float32_view';
export { encodeFloat16, decodeFloat16, encodeBfloat16, decodeBfloat16 } from './half_precision';
export { crc32, verifyCrc32 } from './checksum';
export { firstNonFinite } from './non_finite';
export { CONTAINER_MAGIC, ContainerError, containerHeader, decodeContainer, encodeContainer, isContainer, writeFileAtomic } from './container';
export type { ContainerHeader, ContainerSection } from './container';
