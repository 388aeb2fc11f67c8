import { lnsgd } from '../generated/trainer_pb';

/**
 * The generated protobuf classes of proto/trainer.proto (package lnsgd.trainer.v1),
 * checked in under libs/transport/generated/ (regenerate with scripts/gen-proto.sh).
 */
export const pb = lnsgd.trainer.v1;
export import pbTypes = lnsgd.trainer.v1;

/** Envelope.protocol this build speaks. */
export const PROTOCOL_VERSION = 1;
