import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace lnsgd. */
export namespace lnsgd {

    /** Namespace trainer. */
    namespace trainer {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of an Envelope.
             * @deprecated Use lnsgd.trainer.v1.Envelope.$Properties instead.
             */
            interface IEnvelope extends lnsgd.trainer.v1.Envelope.$Properties {
            }

            /** Represents an Envelope. */
            class Envelope {

                /**
                 * Constructs a new Envelope.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Envelope.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Envelope protocol. */
                protocol: number;

                /** Envelope requestId. */
                requestId: number;

                /** Envelope register. */
                register?: (lnsgd.trainer.v1.Register.$Properties|null);

                /** Envelope assignment. */
                assignment?: (lnsgd.trainer.v1.Assignment.$Properties|null);

                /** Envelope push. */
                push?: (lnsgd.trainer.v1.PushGradient.$Properties|null);

                /** Envelope params. */
                params?: (lnsgd.trainer.v1.Params.$Properties|null);

                /** Envelope pull. */
                pull?: (lnsgd.trainer.v1.Pull.$Properties|null);

                /** Envelope heartbeat. */
                heartbeat?: (lnsgd.trainer.v1.Heartbeat.$Properties|null);

                /** Envelope heartbeatAck. */
                heartbeatAck?: (lnsgd.trainer.v1.HeartbeatAck.$Properties|null);

                /** Envelope snapshotRequest. */
                snapshotRequest?: (lnsgd.trainer.v1.SnapshotRequest.$Properties|null);

                /** Envelope snapshot. */
                snapshot?: (lnsgd.trainer.v1.Snapshot.$Properties|null);

                /** Envelope error. */
                error?: (lnsgd.trainer.v1.Error.$Properties|null);

                /** Envelope stop. */
                stop?: (lnsgd.trainer.v1.Stop.$Properties|null);

                /** Envelope membership. */
                membership?: (lnsgd.trainer.v1.Membership.$Properties|null);

                /** Envelope body. */
                body?: ("register"|"assignment"|"push"|"params"|"pull"|"heartbeat"|"heartbeatAck"|"snapshotRequest"|"snapshot"|"error"|"stop"|"membership");

                /**
                 * Creates a new Envelope instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Envelope instance
                 */
                static create(properties: lnsgd.trainer.v1.Envelope.$Shape): lnsgd.trainer.v1.Envelope & lnsgd.trainer.v1.Envelope.$Shape;
                static create(properties?: lnsgd.trainer.v1.Envelope.$Properties): lnsgd.trainer.v1.Envelope;

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link lnsgd.trainer.v1.Envelope.verify|verify} messages.
                 * @param m Envelope message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Envelope.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Envelope & lnsgd.trainer.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Envelope & lnsgd.trainer.v1.Envelope.$Shape;

                /**
                 * Gets the type url for Envelope
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Envelope {

                /** Properties of an Envelope. */
                interface $Properties {

                    /** Envelope protocol */
                    protocol?: (number|null);

                    /** Envelope requestId */
                    requestId?: (number|null);

                    /** Envelope register */
                    register?: (lnsgd.trainer.v1.Register.$Properties|null);

                    /** Envelope assignment */
                    assignment?: (lnsgd.trainer.v1.Assignment.$Properties|null);

                    /** Envelope push */
                    push?: (lnsgd.trainer.v1.PushGradient.$Properties|null);

                    /** Envelope params */
                    params?: (lnsgd.trainer.v1.Params.$Properties|null);

                    /** Envelope pull */
                    pull?: (lnsgd.trainer.v1.Pull.$Properties|null);

                    /** Envelope heartbeat */
                    heartbeat?: (lnsgd.trainer.v1.Heartbeat.$Properties|null);

                    /** Envelope heartbeatAck */
                    heartbeatAck?: (lnsgd.trainer.v1.HeartbeatAck.$Properties|null);

                    /** Envelope snapshotRequest */
                    snapshotRequest?: (lnsgd.trainer.v1.SnapshotRequest.$Properties|null);

                    /** Envelope snapshot */
                    snapshot?: (lnsgd.trainer.v1.Snapshot.$Properties|null);

                    /** Envelope error */
                    error?: (lnsgd.trainer.v1.Error.$Properties|null);

                    /** Envelope stop */
                    stop?: (lnsgd.trainer.v1.Stop.$Properties|null);

                    /** Envelope membership */
                    membership?: (lnsgd.trainer.v1.Membership.$Properties|null);

                    /** Envelope body */
                    body?: ("register"|"assignment"|"push"|"params"|"pull"|"heartbeat"|"heartbeatAck"|"snapshotRequest"|"snapshot"|"error"|"stop"|"membership");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of an Envelope. */
                type $Shape = {
                  protocol?: number|null;
                  requestId?: number|null;
                  register?: lnsgd.trainer.v1.Register.$Shape|null;
                  assignment?: lnsgd.trainer.v1.Assignment.$Shape|null;
                  push?: lnsgd.trainer.v1.PushGradient.$Shape|null;
                  params?: lnsgd.trainer.v1.Params.$Shape|null;
                  pull?: lnsgd.trainer.v1.Pull.$Shape|null;
                  heartbeat?: lnsgd.trainer.v1.Heartbeat.$Shape|null;
                  heartbeatAck?: lnsgd.trainer.v1.HeartbeatAck.$Shape|null;
                  snapshotRequest?: lnsgd.trainer.v1.SnapshotRequest.$Shape|null;
                  snapshot?: lnsgd.trainer.v1.Snapshot.$Shape|null;
                  error?: lnsgd.trainer.v1.Error.$Shape|null;
                  stop?: lnsgd.trainer.v1.Stop.$Shape|null;
                  membership?: lnsgd.trainer.v1.Membership.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ body?: undefined; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "register"; register: lnsgd.trainer.v1.Register.$Shape; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "assignment"; register?: null; assignment: lnsgd.trainer.v1.Assignment.$Shape; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "push"; register?: null; assignment?: null; push: lnsgd.trainer.v1.PushGradient.$Shape; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "params"; register?: null; assignment?: null; push?: null; params: lnsgd.trainer.v1.Params.$Shape; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "pull"; register?: null; assignment?: null; push?: null; params?: null; pull: lnsgd.trainer.v1.Pull.$Shape; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "heartbeat"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat: lnsgd.trainer.v1.Heartbeat.$Shape; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "heartbeatAck"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck: lnsgd.trainer.v1.HeartbeatAck.$Shape; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "snapshotRequest"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest: lnsgd.trainer.v1.SnapshotRequest.$Shape; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "snapshot"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot: lnsgd.trainer.v1.Snapshot.$Shape; error?: null; stop?: null; membership?: null }|{ body?: "error"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error: lnsgd.trainer.v1.Error.$Shape; stop?: null; membership?: null }|{ body?: "stop"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop: lnsgd.trainer.v1.Stop.$Shape; membership?: null }|{ body?: "membership"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership: lnsgd.trainer.v1.Membership.$Shape })
                );
            }

            /** DType enum. */
            enum DType {

                /** DTYPE_UNSPECIFIED value */
                DTYPE_UNSPECIFIED = 0,

                /** FLOAT32 value */
                FLOAT32 = 1,

                /** FLOAT16 value */
                FLOAT16 = 2,

                /** BFLOAT16 value */
                BFLOAT16 = 3
            }

            /** ChecksumKind enum. */
            enum ChecksumKind {

                /** CHECKSUM_NONE value */
                CHECKSUM_NONE = 0,

                /** CRC32 value */
                CRC32 = 1
            }

            /**
             * Properties of a TensorFrame.
             * @deprecated Use lnsgd.trainer.v1.TensorFrame.$Properties instead.
             */
            interface ITensorFrame extends lnsgd.trainer.v1.TensorFrame.$Properties {
            }

            /** Represents a TensorFrame. */
            class TensorFrame {

                /**
                 * Constructs a new TensorFrame.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.TensorFrame.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** TensorFrame dtype. */
                dtype: lnsgd.trainer.v1.DType;

                /** TensorFrame offset. */
                offset: number;

                /** TensorFrame length. */
                length: number;

                /** TensorFrame checksumKind. */
                checksumKind: lnsgd.trainer.v1.ChecksumKind;

                /** TensorFrame checksum. */
                checksum: number;

                /**
                 * Creates a new TensorFrame instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns TensorFrame instance
                 */
                static create(properties: lnsgd.trainer.v1.TensorFrame.$Shape): lnsgd.trainer.v1.TensorFrame & lnsgd.trainer.v1.TensorFrame.$Shape;
                static create(properties?: lnsgd.trainer.v1.TensorFrame.$Properties): lnsgd.trainer.v1.TensorFrame;

                /**
                 * Encodes the specified TensorFrame message. Does not implicitly {@link lnsgd.trainer.v1.TensorFrame.verify|verify} messages.
                 * @param m TensorFrame message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.TensorFrame.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a TensorFrame message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.TensorFrame & lnsgd.trainer.v1.TensorFrame.$Shape} TensorFrame
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.TensorFrame & lnsgd.trainer.v1.TensorFrame.$Shape;

                /**
                 * Gets the type url for TensorFrame
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace TensorFrame {

                /** Properties of a TensorFrame. */
                interface $Properties {

                    /** TensorFrame dtype */
                    dtype?: (lnsgd.trainer.v1.DType|null);

                    /** TensorFrame offset */
                    offset?: (number|null);

                    /** TensorFrame length */
                    length?: (number|null);

                    /** TensorFrame checksumKind */
                    checksumKind?: (lnsgd.trainer.v1.ChecksumKind|null);

                    /** TensorFrame checksum */
                    checksum?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a TensorFrame. */
                type $Shape = lnsgd.trainer.v1.TensorFrame.$Properties;
            }

            /**
             * Properties of a RunSpec.
             * @deprecated Use lnsgd.trainer.v1.RunSpec.$Properties instead.
             */
            interface IRunSpec extends lnsgd.trainer.v1.RunSpec.$Properties {
            }

            /** Represents a RunSpec. */
            class RunSpec {

                /**
                 * Constructs a new RunSpec.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.RunSpec.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** RunSpec preset. */
                preset: string;

                /** RunSpec steps. */
                steps: number;

                /** RunSpec lr. */
                lr: number;

                /** RunSpec batch. */
                batch: number;

                /** RunSpec sigma. */
                sigma: number;

                /** RunSpec noise. */
                noise: string;

                /** RunSpec flipProb. */
                flipProb: number;

                /** RunSpec momentum. */
                momentum: number;

                /** RunSpec weightDecay. */
                weightDecay: number;

                /** RunSpec warmupSteps. */
                warmupSteps: number;

                /** RunSpec seed. */
                seed: number;

                /** RunSpec microBatch. */
                microBatch: number;

                /** RunSpec configHash. */
                configHash: string;

                /** RunSpec optimizer. */
                optimizer: string;

                /** RunSpec schedule. */
                schedule: string;

                /** RunSpec clipNorm. */
                clipNorm: number;

                /** RunSpec trustCoefficient. */
                trustCoefficient: number;

                /** RunSpec wireDtype. */
                wireDtype: string;

                /**
                 * Creates a new RunSpec instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns RunSpec instance
                 */
                static create(properties: lnsgd.trainer.v1.RunSpec.$Shape): lnsgd.trainer.v1.RunSpec & lnsgd.trainer.v1.RunSpec.$Shape;
                static create(properties?: lnsgd.trainer.v1.RunSpec.$Properties): lnsgd.trainer.v1.RunSpec;

                /**
                 * Encodes the specified RunSpec message. Does not implicitly {@link lnsgd.trainer.v1.RunSpec.verify|verify} messages.
                 * @param m RunSpec message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.RunSpec.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a RunSpec message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.RunSpec & lnsgd.trainer.v1.RunSpec.$Shape} RunSpec
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.RunSpec & lnsgd.trainer.v1.RunSpec.$Shape;

                /**
                 * Gets the type url for RunSpec
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace RunSpec {

                /** Properties of a RunSpec. */
                interface $Properties {

                    /** RunSpec preset */
                    preset?: (string|null);

                    /** RunSpec steps */
                    steps?: (number|null);

                    /** RunSpec lr */
                    lr?: (number|null);

                    /** RunSpec batch */
                    batch?: (number|null);

                    /** RunSpec sigma */
                    sigma?: (number|null);

                    /** RunSpec noise */
                    noise?: (string|null);

                    /** RunSpec flipProb */
                    flipProb?: (number|null);

                    /** RunSpec momentum */
                    momentum?: (number|null);

                    /** RunSpec weightDecay */
                    weightDecay?: (number|null);

                    /** RunSpec warmupSteps */
                    warmupSteps?: (number|null);

                    /** RunSpec seed */
                    seed?: (number|null);

                    /** RunSpec microBatch */
                    microBatch?: (number|null);

                    /** RunSpec configHash */
                    configHash?: (string|null);

                    /** RunSpec optimizer */
                    optimizer?: (string|null);

                    /** RunSpec schedule */
                    schedule?: (string|null);

                    /** RunSpec clipNorm */
                    clipNorm?: (number|null);

                    /** RunSpec trustCoefficient */
                    trustCoefficient?: (number|null);

                    /** RunSpec wireDtype */
                    wireDtype?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a RunSpec. */
                type $Shape = lnsgd.trainer.v1.RunSpec.$Properties;
            }

            /**
             * Properties of a ShardRange.
             * @deprecated Use lnsgd.trainer.v1.ShardRange.$Properties instead.
             */
            interface IShardRange extends lnsgd.trainer.v1.ShardRange.$Properties {
            }

            /** Represents a ShardRange. */
            class ShardRange {

                /**
                 * Constructs a new ShardRange.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.ShardRange.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ShardRange shard. */
                shard: number;

                /** ShardRange offset. */
                offset: number;

                /** ShardRange length. */
                length: number;

                /**
                 * Creates a new ShardRange instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ShardRange instance
                 */
                static create(properties: lnsgd.trainer.v1.ShardRange.$Shape): lnsgd.trainer.v1.ShardRange & lnsgd.trainer.v1.ShardRange.$Shape;
                static create(properties?: lnsgd.trainer.v1.ShardRange.$Properties): lnsgd.trainer.v1.ShardRange;

                /**
                 * Encodes the specified ShardRange message. Does not implicitly {@link lnsgd.trainer.v1.ShardRange.verify|verify} messages.
                 * @param m ShardRange message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.ShardRange.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ShardRange message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.ShardRange & lnsgd.trainer.v1.ShardRange.$Shape} ShardRange
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.ShardRange & lnsgd.trainer.v1.ShardRange.$Shape;

                /**
                 * Gets the type url for ShardRange
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace ShardRange {

                /** Properties of a ShardRange. */
                interface $Properties {

                    /** ShardRange shard */
                    shard?: (number|null);

                    /** ShardRange offset */
                    offset?: (number|null);

                    /** ShardRange length */
                    length?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ShardRange. */
                type $Shape = lnsgd.trainer.v1.ShardRange.$Properties;
            }

            /**
             * Properties of a Register.
             * @deprecated Use lnsgd.trainer.v1.Register.$Properties instead.
             */
            interface IRegister extends lnsgd.trainer.v1.Register.$Properties {
            }

            /** Represents a Register. */
            class Register {

                /**
                 * Constructs a new Register.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Register.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Register workerId. */
                workerId: string;

                /** Register requestedRank. */
                requestedRank: number;

                /** Register authToken. */
                authToken: string;

                /**
                 * Creates a new Register instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Register instance
                 */
                static create(properties: lnsgd.trainer.v1.Register.$Shape): lnsgd.trainer.v1.Register & lnsgd.trainer.v1.Register.$Shape;
                static create(properties?: lnsgd.trainer.v1.Register.$Properties): lnsgd.trainer.v1.Register;

                /**
                 * Encodes the specified Register message. Does not implicitly {@link lnsgd.trainer.v1.Register.verify|verify} messages.
                 * @param m Register message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Register.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Register message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Register & lnsgd.trainer.v1.Register.$Shape} Register
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Register & lnsgd.trainer.v1.Register.$Shape;

                /**
                 * Gets the type url for Register
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Register {

                /** Properties of a Register. */
                interface $Properties {

                    /** Register workerId */
                    workerId?: (string|null);

                    /** Register requestedRank */
                    requestedRank?: (number|null);

                    /** Register authToken */
                    authToken?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Register. */
                type $Shape = lnsgd.trainer.v1.Register.$Properties;
            }

            /**
             * Properties of an Assignment.
             * @deprecated Use lnsgd.trainer.v1.Assignment.$Properties instead.
             */
            interface IAssignment extends lnsgd.trainer.v1.Assignment.$Properties {
            }

            /** Represents an Assignment. */
            class Assignment {

                /**
                 * Constructs a new Assignment.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Assignment.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Assignment rank. */
                rank: number;

                /** Assignment worldSize. */
                worldSize: number;

                /** Assignment run. */
                run?: (lnsgd.trainer.v1.RunSpec.$Properties|null);

                /** Assignment range. */
                range?: (lnsgd.trainer.v1.ShardRange.$Properties|null);

                /** Assignment numShards. */
                numShards: number;

                /** Assignment numParams. */
                numParams: number;

                /** Assignment startStep. */
                startStep: number;

                /** Assignment session. */
                session: string;

                /** Assignment heartbeatIntervalMs. */
                heartbeatIntervalMs: number;

                /** Assignment share. */
                share?: (lnsgd.trainer.v1.Share.$Properties|null);

                /** Assignment partLength. */
                partLength: number;

                /**
                 * Creates a new Assignment instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Assignment instance
                 */
                static create(properties: lnsgd.trainer.v1.Assignment.$Shape): lnsgd.trainer.v1.Assignment & lnsgd.trainer.v1.Assignment.$Shape;
                static create(properties?: lnsgd.trainer.v1.Assignment.$Properties): lnsgd.trainer.v1.Assignment;

                /**
                 * Encodes the specified Assignment message. Does not implicitly {@link lnsgd.trainer.v1.Assignment.verify|verify} messages.
                 * @param m Assignment message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Assignment.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Assignment message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Assignment & lnsgd.trainer.v1.Assignment.$Shape} Assignment
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Assignment & lnsgd.trainer.v1.Assignment.$Shape;

                /**
                 * Gets the type url for Assignment
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Assignment {

                /** Properties of an Assignment. */
                interface $Properties {

                    /** Assignment rank */
                    rank?: (number|null);

                    /** Assignment worldSize */
                    worldSize?: (number|null);

                    /** Assignment run */
                    run?: (lnsgd.trainer.v1.RunSpec.$Properties|null);

                    /** Assignment range */
                    range?: (lnsgd.trainer.v1.ShardRange.$Properties|null);

                    /** Assignment numShards */
                    numShards?: (number|null);

                    /** Assignment numParams */
                    numParams?: (number|null);

                    /** Assignment startStep */
                    startStep?: (number|null);

                    /** Assignment session */
                    session?: (string|null);

                    /** Assignment heartbeatIntervalMs */
                    heartbeatIntervalMs?: (number|null);

                    /** Assignment share */
                    share?: (lnsgd.trainer.v1.Share.$Properties|null);

                    /** Assignment partLength */
                    partLength?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Assignment. */
                type $Shape = lnsgd.trainer.v1.Assignment.$Properties;
            }

            /**
             * Properties of a Share.
             * @deprecated Use lnsgd.trainer.v1.Share.$Properties instead.
             */
            interface IShare extends lnsgd.trainer.v1.Share.$Properties {
            }

            /** Represents a Share. */
            class Share {

                /**
                 * Constructs a new Share.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Share.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Share epoch. */
                epoch: number;

                /** Share index. */
                index: number;

                /** Share count. */
                count: number;

                /**
                 * Creates a new Share instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Share instance
                 */
                static create(properties: lnsgd.trainer.v1.Share.$Shape): lnsgd.trainer.v1.Share & lnsgd.trainer.v1.Share.$Shape;
                static create(properties?: lnsgd.trainer.v1.Share.$Properties): lnsgd.trainer.v1.Share;

                /**
                 * Encodes the specified Share message. Does not implicitly {@link lnsgd.trainer.v1.Share.verify|verify} messages.
                 * @param m Share message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Share.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Share message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Share & lnsgd.trainer.v1.Share.$Shape} Share
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Share & lnsgd.trainer.v1.Share.$Shape;

                /**
                 * Gets the type url for Share
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Share {

                /** Properties of a Share. */
                interface $Properties {

                    /** Share epoch */
                    epoch?: (number|null);

                    /** Share index */
                    index?: (number|null);

                    /** Share count */
                    count?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Share. */
                type $Shape = lnsgd.trainer.v1.Share.$Properties;
            }

            /**
             * Properties of a PushGradient.
             * @deprecated Use lnsgd.trainer.v1.PushGradient.$Properties instead.
             */
            interface IPushGradient extends lnsgd.trainer.v1.PushGradient.$Properties {
            }

            /** Represents a PushGradient. */
            class PushGradient {

                /**
                 * Constructs a new PushGradient.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.PushGradient.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PushGradient rank. */
                rank: number;

                /** PushGradient step. */
                step: number;

                /** PushGradient numSamples. */
                numSamples: number;

                /** PushGradient loss. */
                loss: number;

                /** PushGradient grad. */
                grad?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                /** PushGradient session. */
                session: string;

                /** PushGradient share. */
                share?: (lnsgd.trainer.v1.Share.$Properties|null);

                /** PushGradient part. */
                part: number;

                /** PushGradient parts. */
                parts: number;

                /**
                 * Creates a new PushGradient instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PushGradient instance
                 */
                static create(properties: lnsgd.trainer.v1.PushGradient.$Shape): lnsgd.trainer.v1.PushGradient & lnsgd.trainer.v1.PushGradient.$Shape;
                static create(properties?: lnsgd.trainer.v1.PushGradient.$Properties): lnsgd.trainer.v1.PushGradient;

                /**
                 * Encodes the specified PushGradient message. Does not implicitly {@link lnsgd.trainer.v1.PushGradient.verify|verify} messages.
                 * @param m PushGradient message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.PushGradient.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PushGradient message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.PushGradient & lnsgd.trainer.v1.PushGradient.$Shape} PushGradient
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.PushGradient & lnsgd.trainer.v1.PushGradient.$Shape;

                /**
                 * Gets the type url for PushGradient
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PushGradient {

                /** Properties of a PushGradient. */
                interface $Properties {

                    /** PushGradient rank */
                    rank?: (number|null);

                    /** PushGradient step */
                    step?: (number|null);

                    /** PushGradient numSamples */
                    numSamples?: (number|null);

                    /** PushGradient loss */
                    loss?: (number|null);

                    /** PushGradient grad */
                    grad?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                    /** PushGradient session */
                    session?: (string|null);

                    /** PushGradient share */
                    share?: (lnsgd.trainer.v1.Share.$Properties|null);

                    /** PushGradient part */
                    part?: (number|null);

                    /** PushGradient parts */
                    parts?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PushGradient. */
                type $Shape = lnsgd.trainer.v1.PushGradient.$Properties;
            }

            /**
             * Properties of a Pull.
             * @deprecated Use lnsgd.trainer.v1.Pull.$Properties instead.
             */
            interface IPull extends lnsgd.trainer.v1.Pull.$Properties {
            }

            /** Represents a Pull. */
            class Pull {

                /**
                 * Constructs a new Pull.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Pull.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Pull rank. */
                rank: number;

                /** Pull session. */
                session: string;

                /** Pull minVersion. */
                minVersion: number;

                /**
                 * Creates a new Pull instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Pull instance
                 */
                static create(properties: lnsgd.trainer.v1.Pull.$Shape): lnsgd.trainer.v1.Pull & lnsgd.trainer.v1.Pull.$Shape;
                static create(properties?: lnsgd.trainer.v1.Pull.$Properties): lnsgd.trainer.v1.Pull;

                /**
                 * Encodes the specified Pull message. Does not implicitly {@link lnsgd.trainer.v1.Pull.verify|verify} messages.
                 * @param m Pull message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Pull.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Pull message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Pull & lnsgd.trainer.v1.Pull.$Shape} Pull
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Pull & lnsgd.trainer.v1.Pull.$Shape;

                /**
                 * Gets the type url for Pull
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Pull {

                /** Properties of a Pull. */
                interface $Properties {

                    /** Pull rank */
                    rank?: (number|null);

                    /** Pull session */
                    session?: (string|null);

                    /** Pull minVersion */
                    minVersion?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Pull. */
                type $Shape = lnsgd.trainer.v1.Pull.$Properties;
            }

            /**
             * Properties of a Params.
             * @deprecated Use lnsgd.trainer.v1.Params.$Properties instead.
             */
            interface IParams extends lnsgd.trainer.v1.Params.$Properties {
            }

            /** Represents a Params. */
            class Params {

                /**
                 * Constructs a new Params.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Params.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Params version. */
                version: number;

                /** Params params. */
                params?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                /** Params loss. */
                loss: number;

                /** Params final. */
                final: boolean;

                /** Params noise. */
                noise?: (lnsgd.trainer.v1.NoiseScale.$Properties|null);

                /** Params share. */
                share?: (lnsgd.trainer.v1.Share.$Properties|null);

                /** Params stepSamples. */
                stepSamples: number;

                /** Params part. */
                part: number;

                /** Params parts. */
                parts: number;

                /**
                 * Creates a new Params instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Params instance
                 */
                static create(properties: lnsgd.trainer.v1.Params.$Shape): lnsgd.trainer.v1.Params & lnsgd.trainer.v1.Params.$Shape;
                static create(properties?: lnsgd.trainer.v1.Params.$Properties): lnsgd.trainer.v1.Params;

                /**
                 * Encodes the specified Params message. Does not implicitly {@link lnsgd.trainer.v1.Params.verify|verify} messages.
                 * @param m Params message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Params.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Params message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Params & lnsgd.trainer.v1.Params.$Shape} Params
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Params & lnsgd.trainer.v1.Params.$Shape;

                /**
                 * Gets the type url for Params
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Params {

                /** Properties of a Params. */
                interface $Properties {

                    /** Params version */
                    version?: (number|null);

                    /** Params params */
                    params?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                    /** Params loss */
                    loss?: (number|null);

                    /** Params final */
                    final?: (boolean|null);

                    /** Params noise */
                    noise?: (lnsgd.trainer.v1.NoiseScale.$Properties|null);

                    /** Params share */
                    share?: (lnsgd.trainer.v1.Share.$Properties|null);

                    /** Params stepSamples */
                    stepSamples?: (number|null);

                    /** Params part */
                    part?: (number|null);

                    /** Params parts */
                    parts?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Params. */
                type $Shape = lnsgd.trainer.v1.Params.$Properties;
            }

            /**
             * Properties of a Membership.
             * @deprecated Use lnsgd.trainer.v1.Membership.$Properties instead.
             */
            interface IMembership extends lnsgd.trainer.v1.Membership.$Properties {
            }

            /** Represents a Membership. */
            class Membership {

                /**
                 * Constructs a new Membership.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Membership.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Membership share. */
                share?: (lnsgd.trainer.v1.Share.$Properties|null);

                /** Membership version. */
                version: number;

                /**
                 * Creates a new Membership instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Membership instance
                 */
                static create(properties: lnsgd.trainer.v1.Membership.$Shape): lnsgd.trainer.v1.Membership & lnsgd.trainer.v1.Membership.$Shape;
                static create(properties?: lnsgd.trainer.v1.Membership.$Properties): lnsgd.trainer.v1.Membership;

                /**
                 * Encodes the specified Membership message. Does not implicitly {@link lnsgd.trainer.v1.Membership.verify|verify} messages.
                 * @param m Membership message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Membership.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Membership message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Membership & lnsgd.trainer.v1.Membership.$Shape} Membership
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Membership & lnsgd.trainer.v1.Membership.$Shape;

                /**
                 * Gets the type url for Membership
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Membership {

                /** Properties of a Membership. */
                interface $Properties {

                    /** Membership share */
                    share?: (lnsgd.trainer.v1.Share.$Properties|null);

                    /** Membership version */
                    version?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Membership. */
                type $Shape = lnsgd.trainer.v1.Membership.$Properties;
            }

            /**
             * Properties of a NoiseScale.
             * @deprecated Use lnsgd.trainer.v1.NoiseScale.$Properties instead.
             */
            interface INoiseScale extends lnsgd.trainer.v1.NoiseScale.$Properties {
            }

            /** Represents a NoiseScale. */
            class NoiseScale {

                /**
                 * Constructs a new NoiseScale.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.NoiseScale.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** NoiseScale gradSqNorm. */
                gradSqNorm: number;

                /** NoiseScale traceSigma. */
                traceSigma: number;

                /** NoiseScale emaGradSqNorm. */
                emaGradSqNorm: number;

                /** NoiseScale emaTraceSigma. */
                emaTraceSigma: number;

                /** NoiseScale count. */
                count: number;

                /**
                 * Creates a new NoiseScale instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns NoiseScale instance
                 */
                static create(properties: lnsgd.trainer.v1.NoiseScale.$Shape): lnsgd.trainer.v1.NoiseScale & lnsgd.trainer.v1.NoiseScale.$Shape;
                static create(properties?: lnsgd.trainer.v1.NoiseScale.$Properties): lnsgd.trainer.v1.NoiseScale;

                /**
                 * Encodes the specified NoiseScale message. Does not implicitly {@link lnsgd.trainer.v1.NoiseScale.verify|verify} messages.
                 * @param m NoiseScale message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.NoiseScale.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a NoiseScale message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.NoiseScale & lnsgd.trainer.v1.NoiseScale.$Shape} NoiseScale
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.NoiseScale & lnsgd.trainer.v1.NoiseScale.$Shape;

                /**
                 * Gets the type url for NoiseScale
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace NoiseScale {

                /** Properties of a NoiseScale. */
                interface $Properties {

                    /** NoiseScale gradSqNorm */
                    gradSqNorm?: (number|null);

                    /** NoiseScale traceSigma */
                    traceSigma?: (number|null);

                    /** NoiseScale emaGradSqNorm */
                    emaGradSqNorm?: (number|null);

                    /** NoiseScale emaTraceSigma */
                    emaTraceSigma?: (number|null);

                    /** NoiseScale count */
                    count?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a NoiseScale. */
                type $Shape = lnsgd.trainer.v1.NoiseScale.$Properties;
            }

            /**
             * Properties of a Heartbeat.
             * @deprecated Use lnsgd.trainer.v1.Heartbeat.$Properties instead.
             */
            interface IHeartbeat extends lnsgd.trainer.v1.Heartbeat.$Properties {
            }

            /** Represents a Heartbeat. */
            class Heartbeat {

                /**
                 * Constructs a new Heartbeat.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Heartbeat.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Heartbeat rank. */
                rank: number;

                /** Heartbeat step. */
                step: number;

                /** Heartbeat session. */
                session: string;

                /**
                 * Creates a new Heartbeat instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Heartbeat instance
                 */
                static create(properties: lnsgd.trainer.v1.Heartbeat.$Shape): lnsgd.trainer.v1.Heartbeat & lnsgd.trainer.v1.Heartbeat.$Shape;
                static create(properties?: lnsgd.trainer.v1.Heartbeat.$Properties): lnsgd.trainer.v1.Heartbeat;

                /**
                 * Encodes the specified Heartbeat message. Does not implicitly {@link lnsgd.trainer.v1.Heartbeat.verify|verify} messages.
                 * @param m Heartbeat message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Heartbeat.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Heartbeat message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Heartbeat & lnsgd.trainer.v1.Heartbeat.$Shape} Heartbeat
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Heartbeat & lnsgd.trainer.v1.Heartbeat.$Shape;

                /**
                 * Gets the type url for Heartbeat
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Heartbeat {

                /** Properties of a Heartbeat. */
                interface $Properties {

                    /** Heartbeat rank */
                    rank?: (number|null);

                    /** Heartbeat step */
                    step?: (number|null);

                    /** Heartbeat session */
                    session?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Heartbeat. */
                type $Shape = lnsgd.trainer.v1.Heartbeat.$Properties;
            }

            /**
             * Properties of a HeartbeatAck.
             * @deprecated Use lnsgd.trainer.v1.HeartbeatAck.$Properties instead.
             */
            interface IHeartbeatAck extends lnsgd.trainer.v1.HeartbeatAck.$Properties {
            }

            /** Represents a HeartbeatAck. */
            class HeartbeatAck {

                /**
                 * Constructs a new HeartbeatAck.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.HeartbeatAck.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** HeartbeatAck version. */
                version: number;

                /** HeartbeatAck session. */
                session: string;

                /**
                 * Creates a new HeartbeatAck instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns HeartbeatAck instance
                 */
                static create(properties: lnsgd.trainer.v1.HeartbeatAck.$Shape): lnsgd.trainer.v1.HeartbeatAck & lnsgd.trainer.v1.HeartbeatAck.$Shape;
                static create(properties?: lnsgd.trainer.v1.HeartbeatAck.$Properties): lnsgd.trainer.v1.HeartbeatAck;

                /**
                 * Encodes the specified HeartbeatAck message. Does not implicitly {@link lnsgd.trainer.v1.HeartbeatAck.verify|verify} messages.
                 * @param m HeartbeatAck message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.HeartbeatAck.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a HeartbeatAck message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.HeartbeatAck & lnsgd.trainer.v1.HeartbeatAck.$Shape} HeartbeatAck
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.HeartbeatAck & lnsgd.trainer.v1.HeartbeatAck.$Shape;

                /**
                 * Gets the type url for HeartbeatAck
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace HeartbeatAck {

                /** Properties of a HeartbeatAck. */
                interface $Properties {

                    /** HeartbeatAck version */
                    version?: (number|null);

                    /** HeartbeatAck session */
                    session?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a HeartbeatAck. */
                type $Shape = lnsgd.trainer.v1.HeartbeatAck.$Properties;
            }

            /**
             * Properties of a SnapshotRequest.
             * @deprecated Use lnsgd.trainer.v1.SnapshotRequest.$Properties instead.
             */
            interface ISnapshotRequest extends lnsgd.trainer.v1.SnapshotRequest.$Properties {
            }

            /** Represents a SnapshotRequest. */
            class SnapshotRequest {

                /**
                 * Constructs a new SnapshotRequest.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.SnapshotRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SnapshotRequest includeParams. */
                includeParams: boolean;

                /**
                 * Creates a new SnapshotRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SnapshotRequest instance
                 */
                static create(properties: lnsgd.trainer.v1.SnapshotRequest.$Shape): lnsgd.trainer.v1.SnapshotRequest & lnsgd.trainer.v1.SnapshotRequest.$Shape;
                static create(properties?: lnsgd.trainer.v1.SnapshotRequest.$Properties): lnsgd.trainer.v1.SnapshotRequest;

                /**
                 * Encodes the specified SnapshotRequest message. Does not implicitly {@link lnsgd.trainer.v1.SnapshotRequest.verify|verify} messages.
                 * @param m SnapshotRequest message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.SnapshotRequest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SnapshotRequest message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.SnapshotRequest & lnsgd.trainer.v1.SnapshotRequest.$Shape} SnapshotRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.SnapshotRequest & lnsgd.trainer.v1.SnapshotRequest.$Shape;

                /**
                 * Gets the type url for SnapshotRequest
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace SnapshotRequest {

                /** Properties of a SnapshotRequest. */
                interface $Properties {

                    /** SnapshotRequest includeParams */
                    includeParams?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SnapshotRequest. */
                type $Shape = lnsgd.trainer.v1.SnapshotRequest.$Properties;
            }

            /**
             * Properties of a Snapshot.
             * @deprecated Use lnsgd.trainer.v1.Snapshot.$Properties instead.
             */
            interface ISnapshot extends lnsgd.trainer.v1.Snapshot.$Properties {
            }

            /** Represents a Snapshot. */
            class Snapshot {

                /**
                 * Constructs a new Snapshot.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Snapshot.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Snapshot version. */
                version: number;

                /** Snapshot range. */
                range?: (lnsgd.trainer.v1.ShardRange.$Properties|null);

                /** Snapshot numShards. */
                numShards: number;

                /** Snapshot params. */
                params?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                /** Snapshot noise. */
                noise?: (lnsgd.trainer.v1.NoiseScale.$Properties|null);

                /** Snapshot liveWorkers. */
                liveWorkers: number;

                /** Snapshot configHash. */
                configHash: string;

                /** Snapshot stats. */
                stats?: (lnsgd.trainer.v1.ShardStats.$Properties|null);

                /**
                 * Creates a new Snapshot instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Snapshot instance
                 */
                static create(properties: lnsgd.trainer.v1.Snapshot.$Shape): lnsgd.trainer.v1.Snapshot & lnsgd.trainer.v1.Snapshot.$Shape;
                static create(properties?: lnsgd.trainer.v1.Snapshot.$Properties): lnsgd.trainer.v1.Snapshot;

                /**
                 * Encodes the specified Snapshot message. Does not implicitly {@link lnsgd.trainer.v1.Snapshot.verify|verify} messages.
                 * @param m Snapshot message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Snapshot.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Snapshot message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Snapshot & lnsgd.trainer.v1.Snapshot.$Shape} Snapshot
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Snapshot & lnsgd.trainer.v1.Snapshot.$Shape;

                /**
                 * Gets the type url for Snapshot
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Snapshot {

                /** Properties of a Snapshot. */
                interface $Properties {

                    /** Snapshot version */
                    version?: (number|null);

                    /** Snapshot range */
                    range?: (lnsgd.trainer.v1.ShardRange.$Properties|null);

                    /** Snapshot numShards */
                    numShards?: (number|null);

                    /** Snapshot params */
                    params?: (lnsgd.trainer.v1.TensorFrame.$Properties|null);

                    /** Snapshot noise */
                    noise?: (lnsgd.trainer.v1.NoiseScale.$Properties|null);

                    /** Snapshot liveWorkers */
                    liveWorkers?: (number|null);

                    /** Snapshot configHash */
                    configHash?: (string|null);

                    /** Snapshot stats */
                    stats?: (lnsgd.trainer.v1.ShardStats.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Snapshot. */
                type $Shape = lnsgd.trainer.v1.Snapshot.$Properties;
            }

            /**
             * Properties of a ShardStats.
             * @deprecated Use lnsgd.trainer.v1.ShardStats.$Properties instead.
             */
            interface IShardStats extends lnsgd.trainer.v1.ShardStats.$Properties {
            }

            /** Represents a ShardStats. */
            class ShardStats {

                /**
                 * Constructs a new ShardStats.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.ShardStats.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ShardStats stepsClosed. */
                stepsClosed: number;

                /** ShardStats pushesAccepted. */
                pushesAccepted: number;

                /** ShardStats pushesDuplicate. */
                pushesDuplicate: number;

                /** ShardStats pushesStale. */
                pushesStale: number;

                /** ShardStats malformed. */
                malformed: number;

                /** ShardStats badShape. */
                badShape: number;

                /** ShardStats nonFinite. */
                nonFinite: number;

                /** ShardStats checksumMismatch. */
                checksumMismatch: number;

                /** ShardStats unknownWorker. */
                unknownWorker: number;

                /** ShardStats tooLarge. */
                tooLarge: number;

                /** ShardStats notAuthorized. */
                notAuthorized: number;

                /** ShardStats versionMismatch. */
                versionMismatch: number;

                /** ShardStats stepMismatch. */
                stepMismatch: number;

                /** ShardStats checkpointsWritten. */
                checkpointsWritten: number;

                /** ShardStats bytesReceived. */
                bytesReceived: number;

                /** ShardStats bytesSent. */
                bytesSent: number;

                /** ShardStats pushesResent. */
                pushesResent: number;

                /** ShardStats runFull. */
                runFull: number;

                /** ShardStats shuttingDown. */
                shuttingDown: number;

                /** ShardStats pushesRecompute. */
                pushesRecompute: number;

                /**
                 * Creates a new ShardStats instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ShardStats instance
                 */
                static create(properties: lnsgd.trainer.v1.ShardStats.$Shape): lnsgd.trainer.v1.ShardStats & lnsgd.trainer.v1.ShardStats.$Shape;
                static create(properties?: lnsgd.trainer.v1.ShardStats.$Properties): lnsgd.trainer.v1.ShardStats;

                /**
                 * Encodes the specified ShardStats message. Does not implicitly {@link lnsgd.trainer.v1.ShardStats.verify|verify} messages.
                 * @param m ShardStats message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.ShardStats.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ShardStats message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.ShardStats & lnsgd.trainer.v1.ShardStats.$Shape} ShardStats
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.ShardStats & lnsgd.trainer.v1.ShardStats.$Shape;

                /**
                 * Gets the type url for ShardStats
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace ShardStats {

                /** Properties of a ShardStats. */
                interface $Properties {

                    /** ShardStats stepsClosed */
                    stepsClosed?: (number|null);

                    /** ShardStats pushesAccepted */
                    pushesAccepted?: (number|null);

                    /** ShardStats pushesDuplicate */
                    pushesDuplicate?: (number|null);

                    /** ShardStats pushesStale */
                    pushesStale?: (number|null);

                    /** ShardStats malformed */
                    malformed?: (number|null);

                    /** ShardStats badShape */
                    badShape?: (number|null);

                    /** ShardStats nonFinite */
                    nonFinite?: (number|null);

                    /** ShardStats checksumMismatch */
                    checksumMismatch?: (number|null);

                    /** ShardStats unknownWorker */
                    unknownWorker?: (number|null);

                    /** ShardStats tooLarge */
                    tooLarge?: (number|null);

                    /** ShardStats notAuthorized */
                    notAuthorized?: (number|null);

                    /** ShardStats versionMismatch */
                    versionMismatch?: (number|null);

                    /** ShardStats stepMismatch */
                    stepMismatch?: (number|null);

                    /** ShardStats checkpointsWritten */
                    checkpointsWritten?: (number|null);

                    /** ShardStats bytesReceived */
                    bytesReceived?: (number|null);

                    /** ShardStats bytesSent */
                    bytesSent?: (number|null);

                    /** ShardStats pushesResent */
                    pushesResent?: (number|null);

                    /** ShardStats runFull */
                    runFull?: (number|null);

                    /** ShardStats shuttingDown */
                    shuttingDown?: (number|null);

                    /** ShardStats pushesRecompute */
                    pushesRecompute?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ShardStats. */
                type $Shape = lnsgd.trainer.v1.ShardStats.$Properties;
            }

            /** ErrorCode enum. */
            enum ErrorCode {

                /** ERROR_UNSPECIFIED value */
                ERROR_UNSPECIFIED = 0,

                /** MALFORMED value */
                MALFORMED = 1,

                /** UNKNOWN_WORKER value */
                UNKNOWN_WORKER = 2,

                /** VERSION_MISMATCH value */
                VERSION_MISMATCH = 3,

                /** STEP_MISMATCH value */
                STEP_MISMATCH = 4,

                /** BAD_SHAPE value */
                BAD_SHAPE = 5,

                /** CHECKSUM_MISMATCH value */
                CHECKSUM_MISMATCH = 6,

                /** STALE_PUSH value */
                STALE_PUSH = 7,

                /** DUPLICATE_PUSH value */
                DUPLICATE_PUSH = 8,

                /** NOT_AUTHORIZED value */
                NOT_AUTHORIZED = 9,

                /** NON_FINITE value */
                NON_FINITE = 10,

                /** TOO_LARGE value */
                TOO_LARGE = 11,

                /** RUN_FULL value */
                RUN_FULL = 12,

                /** SHUTTING_DOWN value */
                SHUTTING_DOWN = 13,

                /** RECOMPUTE value */
                RECOMPUTE = 14
            }

            /**
             * Properties of an Error.
             * @deprecated Use lnsgd.trainer.v1.Error.$Properties instead.
             */
            interface IError extends lnsgd.trainer.v1.Error.$Properties {
            }

            /** Represents an Error. */
            class Error {

                /**
                 * Constructs a new Error.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Error.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Error code. */
                code: lnsgd.trainer.v1.ErrorCode;

                /** Error message. */
                message: string;

                /** Error currentVersion. */
                currentVersion: number;

                /** Error share. */
                share?: (lnsgd.trainer.v1.Share.$Properties|null);

                /**
                 * Creates a new Error instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Error instance
                 */
                static create(properties: lnsgd.trainer.v1.Error.$Shape): lnsgd.trainer.v1.Error & lnsgd.trainer.v1.Error.$Shape;
                static create(properties?: lnsgd.trainer.v1.Error.$Properties): lnsgd.trainer.v1.Error;

                /**
                 * Encodes the specified Error message. Does not implicitly {@link lnsgd.trainer.v1.Error.verify|verify} messages.
                 * @param m Error message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Error.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Error message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Error & lnsgd.trainer.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Error & lnsgd.trainer.v1.Error.$Shape;

                /**
                 * Gets the type url for Error
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Error {

                /** Properties of an Error. */
                interface $Properties {

                    /** Error code */
                    code?: (lnsgd.trainer.v1.ErrorCode|null);

                    /** Error message */
                    message?: (string|null);

                    /** Error currentVersion */
                    currentVersion?: (number|null);

                    /** Error share */
                    share?: (lnsgd.trainer.v1.Share.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Error. */
                type $Shape = lnsgd.trainer.v1.Error.$Properties;
            }

            /**
             * Properties of a Stop.
             * @deprecated Use lnsgd.trainer.v1.Stop.$Properties instead.
             */
            interface IStop extends lnsgd.trainer.v1.Stop.$Properties {
            }

            /** Represents a Stop. */
            class Stop {

                /**
                 * Constructs a new Stop.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Stop.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Stop reason. */
                reason: string;

                /** Stop goodbye. */
                goodbye?: (lnsgd.trainer.v1.Goodbye.$Properties|null);

                /** Stop authToken. */
                authToken: string;

                /**
                 * Creates a new Stop instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Stop instance
                 */
                static create(properties: lnsgd.trainer.v1.Stop.$Shape): lnsgd.trainer.v1.Stop & lnsgd.trainer.v1.Stop.$Shape;
                static create(properties?: lnsgd.trainer.v1.Stop.$Properties): lnsgd.trainer.v1.Stop;

                /**
                 * Encodes the specified Stop message. Does not implicitly {@link lnsgd.trainer.v1.Stop.verify|verify} messages.
                 * @param m Stop message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Stop.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Stop message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Stop & lnsgd.trainer.v1.Stop.$Shape} Stop
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Stop & lnsgd.trainer.v1.Stop.$Shape;

                /**
                 * Gets the type url for Stop
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Stop {

                /** Properties of a Stop. */
                interface $Properties {

                    /** Stop reason */
                    reason?: (string|null);

                    /** Stop goodbye */
                    goodbye?: (lnsgd.trainer.v1.Goodbye.$Properties|null);

                    /** Stop authToken */
                    authToken?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Stop. */
                type $Shape = lnsgd.trainer.v1.Stop.$Properties;
            }

            /**
             * Properties of a Goodbye.
             * @deprecated Use lnsgd.trainer.v1.Goodbye.$Properties instead.
             */
            interface IGoodbye extends lnsgd.trainer.v1.Goodbye.$Properties {
            }

            /** Represents a Goodbye. */
            class Goodbye {

                /**
                 * Constructs a new Goodbye.
                 * @param [p] Properties to set
                 */
                constructor(p?: lnsgd.trainer.v1.Goodbye.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Goodbye rank. */
                rank: number;

                /** Goodbye session. */
                session: string;

                /**
                 * Creates a new Goodbye instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Goodbye instance
                 */
                static create(properties: lnsgd.trainer.v1.Goodbye.$Shape): lnsgd.trainer.v1.Goodbye & lnsgd.trainer.v1.Goodbye.$Shape;
                static create(properties?: lnsgd.trainer.v1.Goodbye.$Properties): lnsgd.trainer.v1.Goodbye;

                /**
                 * Encodes the specified Goodbye message. Does not implicitly {@link lnsgd.trainer.v1.Goodbye.verify|verify} messages.
                 * @param m Goodbye message or plain object to encode
                 * @param [w] Writer to encode to
                 * @returns Writer
                 */
                static encode(m: lnsgd.trainer.v1.Goodbye.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Goodbye message from the specified reader or buffer.
                 * @param r Reader or buffer to decode from
                 * @param [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Goodbye & lnsgd.trainer.v1.Goodbye.$Shape} Goodbye
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(r: ($protobuf.Reader|Uint8Array), l?: number): lnsgd.trainer.v1.Goodbye & lnsgd.trainer.v1.Goodbye.$Shape;

                /**
                 * Gets the type url for Goodbye
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Goodbye {

                /** Properties of a Goodbye. */
                interface $Properties {

                    /** Goodbye rank */
                    rank?: (number|null);

                    /** Goodbye session */
                    session?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Goodbye. */
                type $Shape = lnsgd.trainer.v1.Goodbye.$Properties;
            }
        }
    }
}
