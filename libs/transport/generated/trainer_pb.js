/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
"use strict";

var $protobuf = require("protobufjs/minimal");

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
var $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

$root.lnsgd = (function() {

    /**
     * Namespace lnsgd.
     * @exports lnsgd
     * @namespace
     */
    var lnsgd = {};

    lnsgd.trainer = (function() {

        /**
         * Namespace trainer.
         * @memberof lnsgd
         * @namespace
         */
        var trainer = {};

        trainer.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof lnsgd.trainer
             * @namespace
             */
            var v1 = {};

            v1.Envelope = (function() {

                /**
                 * Properties of an Envelope.
                 * @typedef {Object} lnsgd.trainer.v1.Envelope.$Properties
                 * @property {number|null} [protocol] Envelope protocol
                 * @property {number|null} [requestId] Envelope requestId
                 * @property {lnsgd.trainer.v1.Register.$Properties|null} [register] Envelope register
                 * @property {lnsgd.trainer.v1.Assignment.$Properties|null} [assignment] Envelope assignment
                 * @property {lnsgd.trainer.v1.PushGradient.$Properties|null} [push] Envelope push
                 * @property {lnsgd.trainer.v1.Params.$Properties|null} [params] Envelope params
                 * @property {lnsgd.trainer.v1.Pull.$Properties|null} [pull] Envelope pull
                 * @property {lnsgd.trainer.v1.Heartbeat.$Properties|null} [heartbeat] Envelope heartbeat
                 * @property {lnsgd.trainer.v1.HeartbeatAck.$Properties|null} [heartbeatAck] Envelope heartbeatAck
                 * @property {lnsgd.trainer.v1.SnapshotRequest.$Properties|null} [snapshotRequest] Envelope snapshotRequest
                 * @property {lnsgd.trainer.v1.Snapshot.$Properties|null} [snapshot] Envelope snapshot
                 * @property {lnsgd.trainer.v1.Error.$Properties|null} [error] Envelope error
                 * @property {lnsgd.trainer.v1.Stop.$Properties|null} [stop] Envelope stop
                 * @property {lnsgd.trainer.v1.Membership.$Properties|null} [membership] Envelope membership
                 * @property {"register"|"assignment"|"push"|"params"|"pull"|"heartbeat"|"heartbeatAck"|"snapshotRequest"|"snapshot"|"error"|"stop"|"membership"} [body] Envelope body
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Envelope.
                 * @memberof lnsgd.trainer.v1
                 * @interface IEnvelope
                 * @augments lnsgd.trainer.v1.Envelope.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Envelope.$Properties instead.
                 */

                /**
                 * Narrowed shape of an Envelope.
                 * @typedef {{
                 *   protocol?: number|null;
                 *   requestId?: number|null;
                 *   register?: lnsgd.trainer.v1.Register.$Shape|null;
                 *   assignment?: lnsgd.trainer.v1.Assignment.$Shape|null;
                 *   push?: lnsgd.trainer.v1.PushGradient.$Shape|null;
                 *   params?: lnsgd.trainer.v1.Params.$Shape|null;
                 *   pull?: lnsgd.trainer.v1.Pull.$Shape|null;
                 *   heartbeat?: lnsgd.trainer.v1.Heartbeat.$Shape|null;
                 *   heartbeatAck?: lnsgd.trainer.v1.HeartbeatAck.$Shape|null;
                 *   snapshotRequest?: lnsgd.trainer.v1.SnapshotRequest.$Shape|null;
                 *   snapshot?: lnsgd.trainer.v1.Snapshot.$Shape|null;
                 *   error?: lnsgd.trainer.v1.Error.$Shape|null;
                 *   stop?: lnsgd.trainer.v1.Stop.$Shape|null;
                 *   membership?: lnsgd.trainer.v1.Membership.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ body?: undefined; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "register"; register: lnsgd.trainer.v1.Register.$Shape; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "assignment"; register?: null; assignment: lnsgd.trainer.v1.Assignment.$Shape; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "push"; register?: null; assignment?: null; push: lnsgd.trainer.v1.PushGradient.$Shape; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "params"; register?: null; assignment?: null; push?: null; params: lnsgd.trainer.v1.Params.$Shape; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "pull"; register?: null; assignment?: null; push?: null; params?: null; pull: lnsgd.trainer.v1.Pull.$Shape; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "heartbeat"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat: lnsgd.trainer.v1.Heartbeat.$Shape; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "heartbeatAck"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck: lnsgd.trainer.v1.HeartbeatAck.$Shape; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "snapshotRequest"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest: lnsgd.trainer.v1.SnapshotRequest.$Shape; snapshot?: null; error?: null; stop?: null; membership?: null }|{ body?: "snapshot"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot: lnsgd.trainer.v1.Snapshot.$Shape; error?: null; stop?: null; membership?: null }|{ body?: "error"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error: lnsgd.trainer.v1.Error.$Shape; stop?: null; membership?: null }|{ body?: "stop"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop: lnsgd.trainer.v1.Stop.$Shape; membership?: null }|{ body?: "membership"; register?: null; assignment?: null; push?: null; params?: null; pull?: null; heartbeat?: null; heartbeatAck?: null; snapshotRequest?: null; snapshot?: null; error?: null; stop?: null; membership: lnsgd.trainer.v1.Membership.$Shape })
                 * )} lnsgd.trainer.v1.Envelope.$Shape
                 */

                /**
                 * Constructs a new Envelope.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents an Envelope.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Envelope.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Envelope = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Envelope protocol.
                 * @member {number} protocol
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.protocol = 0;

                /**
                 * Envelope requestId.
                 * @member {number} requestId
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.requestId = 0;

                /**
                 * Envelope register.
                 * @member {lnsgd.trainer.v1.Register.$Properties|null|undefined} register
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.register = null;

                /**
                 * Envelope assignment.
                 * @member {lnsgd.trainer.v1.Assignment.$Properties|null|undefined} assignment
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.assignment = null;

                /**
                 * Envelope push.
                 * @member {lnsgd.trainer.v1.PushGradient.$Properties|null|undefined} push
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.push = null;

                /**
                 * Envelope params.
                 * @member {lnsgd.trainer.v1.Params.$Properties|null|undefined} params
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.params = null;

                /**
                 * Envelope pull.
                 * @member {lnsgd.trainer.v1.Pull.$Properties|null|undefined} pull
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.pull = null;

                /**
                 * Envelope heartbeat.
                 * @member {lnsgd.trainer.v1.Heartbeat.$Properties|null|undefined} heartbeat
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.heartbeat = null;

                /**
                 * Envelope heartbeatAck.
                 * @member {lnsgd.trainer.v1.HeartbeatAck.$Properties|null|undefined} heartbeatAck
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.heartbeatAck = null;

                /**
                 * Envelope snapshotRequest.
                 * @member {lnsgd.trainer.v1.SnapshotRequest.$Properties|null|undefined} snapshotRequest
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.snapshotRequest = null;

                /**
                 * Envelope snapshot.
                 * @member {lnsgd.trainer.v1.Snapshot.$Properties|null|undefined} snapshot
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.snapshot = null;

                /**
                 * Envelope error.
                 * @member {lnsgd.trainer.v1.Error.$Properties|null|undefined} error
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.error = null;

                /**
                 * Envelope stop.
                 * @member {lnsgd.trainer.v1.Stop.$Properties|null|undefined} stop
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.stop = null;

                /**
                 * Envelope membership.
                 * @member {lnsgd.trainer.v1.Membership.$Properties|null|undefined} membership
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.membership = null;

                // OneOf field names bound to virtual getters and setters
                var $oneOfFields;

                /**
                 * Envelope body.
                 * @member {"register"|"assignment"|"push"|"params"|"pull"|"heartbeat"|"heartbeatAck"|"snapshotRequest"|"snapshot"|"error"|"stop"|"membership"|undefined} body
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @instance
                 */
                $Object.defineProperty(Envelope.prototype, "body", {
                    get: $util.oneOfGetter($oneOfFields = ["register", "assignment", "push", "params", "pull", "heartbeat", "heartbeatAck", "snapshotRequest", "snapshot", "error", "stop", "membership"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Envelope instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @static
                 * @param {lnsgd.trainer.v1.Envelope.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Envelope} Envelope instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Envelope.$Shape): lnsgd.trainer.v1.Envelope & lnsgd.trainer.v1.Envelope.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Envelope.$Properties): lnsgd.trainer.v1.Envelope;
                 * }}
                 */
                Envelope.create = function(properties) {
                    return new Envelope(properties);
                };

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link lnsgd.trainer.v1.Envelope.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @static
                 * @param {lnsgd.trainer.v1.Envelope.$Properties} m Envelope message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Envelope.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.protocol != null && $Object.hasOwnProperty.call(m, "protocol") && m.protocol !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.protocol);
                    if (m.requestId != null && $Object.hasOwnProperty.call(m, "requestId") && m.requestId !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.requestId);
                    if (m.register != null && $Object.hasOwnProperty.call(m, "register"))
                        $root.lnsgd.trainer.v1.Register.encode(m.register, w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                    if (m.assignment != null && $Object.hasOwnProperty.call(m, "assignment"))
                        $root.lnsgd.trainer.v1.Assignment.encode(m.assignment, w.uint32(/* id 11, wireType 2 =*/90).fork(), q + 1).ldelim();
                    if (m.push != null && $Object.hasOwnProperty.call(m, "push"))
                        $root.lnsgd.trainer.v1.PushGradient.encode(m.push, w.uint32(/* id 12, wireType 2 =*/98).fork(), q + 1).ldelim();
                    if (m.params != null && $Object.hasOwnProperty.call(m, "params"))
                        $root.lnsgd.trainer.v1.Params.encode(m.params, w.uint32(/* id 13, wireType 2 =*/106).fork(), q + 1).ldelim();
                    if (m.pull != null && $Object.hasOwnProperty.call(m, "pull"))
                        $root.lnsgd.trainer.v1.Pull.encode(m.pull, w.uint32(/* id 14, wireType 2 =*/114).fork(), q + 1).ldelim();
                    if (m.heartbeat != null && $Object.hasOwnProperty.call(m, "heartbeat"))
                        $root.lnsgd.trainer.v1.Heartbeat.encode(m.heartbeat, w.uint32(/* id 15, wireType 2 =*/122).fork(), q + 1).ldelim();
                    if (m.heartbeatAck != null && $Object.hasOwnProperty.call(m, "heartbeatAck"))
                        $root.lnsgd.trainer.v1.HeartbeatAck.encode(m.heartbeatAck, w.uint32(/* id 16, wireType 2 =*/130).fork(), q + 1).ldelim();
                    if (m.snapshotRequest != null && $Object.hasOwnProperty.call(m, "snapshotRequest"))
                        $root.lnsgd.trainer.v1.SnapshotRequest.encode(m.snapshotRequest, w.uint32(/* id 17, wireType 2 =*/138).fork(), q + 1).ldelim();
                    if (m.snapshot != null && $Object.hasOwnProperty.call(m, "snapshot"))
                        $root.lnsgd.trainer.v1.Snapshot.encode(m.snapshot, w.uint32(/* id 18, wireType 2 =*/146).fork(), q + 1).ldelim();
                    if (m.error != null && $Object.hasOwnProperty.call(m, "error"))
                        $root.lnsgd.trainer.v1.Error.encode(m.error, w.uint32(/* id 19, wireType 2 =*/154).fork(), q + 1).ldelim();
                    if (m.stop != null && $Object.hasOwnProperty.call(m, "stop"))
                        $root.lnsgd.trainer.v1.Stop.encode(m.stop, w.uint32(/* id 20, wireType 2 =*/162).fork(), q + 1).ldelim();
                    if (m.membership != null && $Object.hasOwnProperty.call(m, "membership"))
                        $root.lnsgd.trainer.v1.Membership.encode(m.membership, w.uint32(/* id 21, wireType 2 =*/170).fork(), q + 1).ldelim();
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Envelope & lnsgd.trainer.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Envelope.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Envelope();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.protocol = v;
                                else
                                    delete m.protocol;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.requestId = v;
                                else
                                    delete m.requestId;
                                continue;
                            }
                        case 10: {
                                if (u !== 2)
                                    break;
                                m.register = $root.lnsgd.trainer.v1.Register.decode(r, r.size(), $undefined, q + 1, m.register);
                                m.body = "register";
                                continue;
                            }
                        case 11: {
                                if (u !== 2)
                                    break;
                                m.assignment = $root.lnsgd.trainer.v1.Assignment.decode(r, r.size(), $undefined, q + 1, m.assignment);
                                m.body = "assignment";
                                continue;
                            }
                        case 12: {
                                if (u !== 2)
                                    break;
                                m.push = $root.lnsgd.trainer.v1.PushGradient.decode(r, r.size(), $undefined, q + 1, m.push);
                                m.body = "push";
                                continue;
                            }
                        case 13: {
                                if (u !== 2)
                                    break;
                                m.params = $root.lnsgd.trainer.v1.Params.decode(r, r.size(), $undefined, q + 1, m.params);
                                m.body = "params";
                                continue;
                            }
                        case 14: {
                                if (u !== 2)
                                    break;
                                m.pull = $root.lnsgd.trainer.v1.Pull.decode(r, r.size(), $undefined, q + 1, m.pull);
                                m.body = "pull";
                                continue;
                            }
                        case 15: {
                                if (u !== 2)
                                    break;
                                m.heartbeat = $root.lnsgd.trainer.v1.Heartbeat.decode(r, r.size(), $undefined, q + 1, m.heartbeat);
                                m.body = "heartbeat";
                                continue;
                            }
                        case 16: {
                                if (u !== 2)
                                    break;
                                m.heartbeatAck = $root.lnsgd.trainer.v1.HeartbeatAck.decode(r, r.size(), $undefined, q + 1, m.heartbeatAck);
                                m.body = "heartbeatAck";
                                continue;
                            }
                        case 17: {
                                if (u !== 2)
                                    break;
                                m.snapshotRequest = $root.lnsgd.trainer.v1.SnapshotRequest.decode(r, r.size(), $undefined, q + 1, m.snapshotRequest);
                                m.body = "snapshotRequest";
                                continue;
                            }
                        case 18: {
                                if (u !== 2)
                                    break;
                                m.snapshot = $root.lnsgd.trainer.v1.Snapshot.decode(r, r.size(), $undefined, q + 1, m.snapshot);
                                m.body = "snapshot";
                                continue;
                            }
                        case 19: {
                                if (u !== 2)
                                    break;
                                m.error = $root.lnsgd.trainer.v1.Error.decode(r, r.size(), $undefined, q + 1, m.error);
                                m.body = "error";
                                continue;
                            }
                        case 20: {
                                if (u !== 2)
                                    break;
                                m.stop = $root.lnsgd.trainer.v1.Stop.decode(r, r.size(), $undefined, q + 1, m.stop);
                                m.body = "stop";
                                continue;
                            }
                        case 21: {
                                if (u !== 2)
                                    break;
                                m.membership = $root.lnsgd.trainer.v1.Membership.decode(r, r.size(), $undefined, q + 1, m.membership);
                                m.body = "membership";
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Envelope
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Envelope
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Envelope.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Envelope";
                };

                return Envelope;
            })();

            /**
             * DType enum.
             * @name lnsgd.trainer.v1.DType
             * @enum {number}
             * @property {number} DTYPE_UNSPECIFIED=0 DTYPE_UNSPECIFIED value
             * @property {number} FLOAT32=1 FLOAT32 value
             * @property {number} FLOAT16=2 FLOAT16 value
             * @property {number} BFLOAT16=3 BFLOAT16 value
             */
            v1.DType = (function() {
                var valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "DTYPE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "FLOAT32"] = 1;
                values[valuesById[2] = "FLOAT16"] = 2;
                values[valuesById[3] = "BFLOAT16"] = 3;
                return values;
            })();

            /**
             * ChecksumKind enum.
             * @name lnsgd.trainer.v1.ChecksumKind
             * @enum {number}
             * @property {number} CHECKSUM_NONE=0 CHECKSUM_NONE value
             * @property {number} CRC32=1 CRC32 value
             */
            v1.ChecksumKind = (function() {
                var valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "CHECKSUM_NONE"] = 0;
                values[valuesById[1] = "CRC32"] = 1;
                return values;
            })();

            v1.TensorFrame = (function() {

                /**
                 * Properties of a TensorFrame.
                 * @typedef {Object} lnsgd.trainer.v1.TensorFrame.$Properties
                 * @property {lnsgd.trainer.v1.DType|null} [dtype] TensorFrame dtype
                 * @property {number|null} [offset] TensorFrame offset
                 * @property {number|null} [length] TensorFrame length
                 * @property {lnsgd.trainer.v1.ChecksumKind|null} [checksumKind] TensorFrame checksumKind
                 * @property {number|null} [checksum] TensorFrame checksum
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TensorFrame.
                 * @memberof lnsgd.trainer.v1
                 * @interface ITensorFrame
                 * @augments lnsgd.trainer.v1.TensorFrame.$Properties
                 * @deprecated Use lnsgd.trainer.v1.TensorFrame.$Properties instead.
                 */

                /**
                 * Shape of a TensorFrame.
                 * @typedef {lnsgd.trainer.v1.TensorFrame.$Properties} lnsgd.trainer.v1.TensorFrame.$Shape
                 */

                /**
                 * Constructs a new TensorFrame.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a TensorFrame.
                 * @constructor
                 * @param {lnsgd.trainer.v1.TensorFrame.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var TensorFrame = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * TensorFrame dtype.
                 * @member {lnsgd.trainer.v1.DType} dtype
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @instance
                 */
                TensorFrame.prototype.dtype = 0;

                /**
                 * TensorFrame offset.
                 * @member {number} offset
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @instance
                 */
                TensorFrame.prototype.offset = 0;

                /**
                 * TensorFrame length.
                 * @member {number} length
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @instance
                 */
                TensorFrame.prototype.length = 0;

                /**
                 * TensorFrame checksumKind.
                 * @member {lnsgd.trainer.v1.ChecksumKind} checksumKind
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @instance
                 */
                TensorFrame.prototype.checksumKind = 0;

                /**
                 * TensorFrame checksum.
                 * @member {number} checksum
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @instance
                 */
                TensorFrame.prototype.checksum = 0;

                /**
                 * Creates a new TensorFrame instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @static
                 * @param {lnsgd.trainer.v1.TensorFrame.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.TensorFrame} TensorFrame instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.TensorFrame.$Shape): lnsgd.trainer.v1.TensorFrame & lnsgd.trainer.v1.TensorFrame.$Shape;
                 *   (properties?: lnsgd.trainer.v1.TensorFrame.$Properties): lnsgd.trainer.v1.TensorFrame;
                 * }}
                 */
                TensorFrame.create = function(properties) {
                    return new TensorFrame(properties);
                };

                /**
                 * Encodes the specified TensorFrame message. Does not implicitly {@link lnsgd.trainer.v1.TensorFrame.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @static
                 * @param {lnsgd.trainer.v1.TensorFrame.$Properties} m TensorFrame message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TensorFrame.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.dtype != null && $Object.hasOwnProperty.call(m, "dtype") && m.dtype !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).int32(m.dtype);
                    if (m.offset != null && $Object.hasOwnProperty.call(m, "offset") && m.offset !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.offset);
                    if (m.length != null && $Object.hasOwnProperty.call(m, "length") && m.length !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.length);
                    if (m.checksumKind != null && $Object.hasOwnProperty.call(m, "checksumKind") && m.checksumKind !== 0)
                        w.uint32(/* id 4, wireType 0 =*/32).int32(m.checksumKind);
                    if (m.checksum != null && $Object.hasOwnProperty.call(m, "checksum") && m.checksum !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.checksum);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a TensorFrame message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.TensorFrame & lnsgd.trainer.v1.TensorFrame.$Shape} TensorFrame
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TensorFrame.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.TensorFrame();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.dtype = v;
                                else
                                    delete m.dtype;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.offset = v;
                                else
                                    delete m.offset;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.length = v;
                                else
                                    delete m.length;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.checksumKind = v;
                                else
                                    delete m.checksumKind;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.checksum = v;
                                else
                                    delete m.checksum;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for TensorFrame
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.TensorFrame
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                TensorFrame.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.TensorFrame";
                };

                return TensorFrame;
            })();

            v1.RunSpec = (function() {

                /**
                 * Properties of a RunSpec.
                 * @typedef {Object} lnsgd.trainer.v1.RunSpec.$Properties
                 * @property {string|null} [preset] RunSpec preset
                 * @property {number|null} [steps] RunSpec steps
                 * @property {number|null} [lr] RunSpec lr
                 * @property {number|null} [batch] RunSpec batch
                 * @property {number|null} [sigma] RunSpec sigma
                 * @property {string|null} [noise] RunSpec noise
                 * @property {number|null} [flipProb] RunSpec flipProb
                 * @property {number|null} [momentum] RunSpec momentum
                 * @property {number|null} [weightDecay] RunSpec weightDecay
                 * @property {number|null} [warmupSteps] RunSpec warmupSteps
                 * @property {number|null} [seed] RunSpec seed
                 * @property {number|null} [microBatch] RunSpec microBatch
                 * @property {string|null} [configHash] RunSpec configHash
                 * @property {string|null} [optimizer] RunSpec optimizer
                 * @property {string|null} [schedule] RunSpec schedule
                 * @property {number|null} [clipNorm] RunSpec clipNorm
                 * @property {number|null} [trustCoefficient] RunSpec trustCoefficient
                 * @property {string|null} [wireDtype] RunSpec wireDtype
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a RunSpec.
                 * @memberof lnsgd.trainer.v1
                 * @interface IRunSpec
                 * @augments lnsgd.trainer.v1.RunSpec.$Properties
                 * @deprecated Use lnsgd.trainer.v1.RunSpec.$Properties instead.
                 */

                /**
                 * Shape of a RunSpec.
                 * @typedef {lnsgd.trainer.v1.RunSpec.$Properties} lnsgd.trainer.v1.RunSpec.$Shape
                 */

                /**
                 * Constructs a new RunSpec.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a RunSpec.
                 * @constructor
                 * @param {lnsgd.trainer.v1.RunSpec.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var RunSpec = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * RunSpec preset.
                 * @member {string} preset
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.preset = "";

                /**
                 * RunSpec steps.
                 * @member {number} steps
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.steps = 0;

                /**
                 * RunSpec lr.
                 * @member {number} lr
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.lr = 0;

                /**
                 * RunSpec batch.
                 * @member {number} batch
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.batch = 0;

                /**
                 * RunSpec sigma.
                 * @member {number} sigma
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.sigma = 0;

                /**
                 * RunSpec noise.
                 * @member {string} noise
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.noise = "";

                /**
                 * RunSpec flipProb.
                 * @member {number} flipProb
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.flipProb = 0;

                /**
                 * RunSpec momentum.
                 * @member {number} momentum
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.momentum = 0;

                /**
                 * RunSpec weightDecay.
                 * @member {number} weightDecay
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.weightDecay = 0;

                /**
                 * RunSpec warmupSteps.
                 * @member {number} warmupSteps
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.warmupSteps = 0;

                /**
                 * RunSpec seed.
                 * @member {number} seed
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.seed = 0;

                /**
                 * RunSpec microBatch.
                 * @member {number} microBatch
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.microBatch = 0;

                /**
                 * RunSpec configHash.
                 * @member {string} configHash
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.configHash = "";

                /**
                 * RunSpec optimizer.
                 * @member {string} optimizer
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.optimizer = "";

                /**
                 * RunSpec schedule.
                 * @member {string} schedule
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.schedule = "";

                /**
                 * RunSpec clipNorm.
                 * @member {number} clipNorm
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.clipNorm = 0;

                /**
                 * RunSpec trustCoefficient.
                 * @member {number} trustCoefficient
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.trustCoefficient = 0;

                /**
                 * RunSpec wireDtype.
                 * @member {string} wireDtype
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @instance
                 */
                RunSpec.prototype.wireDtype = "";

                /**
                 * Creates a new RunSpec instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @static
                 * @param {lnsgd.trainer.v1.RunSpec.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.RunSpec} RunSpec instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.RunSpec.$Shape): lnsgd.trainer.v1.RunSpec & lnsgd.trainer.v1.RunSpec.$Shape;
                 *   (properties?: lnsgd.trainer.v1.RunSpec.$Properties): lnsgd.trainer.v1.RunSpec;
                 * }}
                 */
                RunSpec.create = function(properties) {
                    return new RunSpec(properties);
                };

                /**
                 * Encodes the specified RunSpec message. Does not implicitly {@link lnsgd.trainer.v1.RunSpec.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @static
                 * @param {lnsgd.trainer.v1.RunSpec.$Properties} m RunSpec message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                RunSpec.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.preset != null && $Object.hasOwnProperty.call(m, "preset") && m.preset !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.preset);
                    if (m.steps != null && $Object.hasOwnProperty.call(m, "steps") && m.steps !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.steps);
                    if (m.lr != null && $Object.hasOwnProperty.call(m, "lr") && !$Object.is(m.lr, 0))
                        w.uint32(/* id 3, wireType 1 =*/25).double(m.lr);
                    if (m.batch != null && $Object.hasOwnProperty.call(m, "batch") && m.batch !== 0)
                        w.uint32(/* id 4, wireType 0 =*/32).uint32(m.batch);
                    if (m.sigma != null && $Object.hasOwnProperty.call(m, "sigma") && !$Object.is(m.sigma, 0))
                        w.uint32(/* id 5, wireType 1 =*/41).double(m.sigma);
                    if (m.noise != null && $Object.hasOwnProperty.call(m, "noise") && m.noise !== "")
                        w.uint32(/* id 6, wireType 2 =*/50).string(m.noise);
                    if (m.flipProb != null && $Object.hasOwnProperty.call(m, "flipProb") && !$Object.is(m.flipProb, 0))
                        w.uint32(/* id 7, wireType 1 =*/57).double(m.flipProb);
                    if (m.momentum != null && $Object.hasOwnProperty.call(m, "momentum") && !$Object.is(m.momentum, 0))
                        w.uint32(/* id 8, wireType 1 =*/65).double(m.momentum);
                    if (m.weightDecay != null && $Object.hasOwnProperty.call(m, "weightDecay") && !$Object.is(m.weightDecay, 0))
                        w.uint32(/* id 9, wireType 1 =*/73).double(m.weightDecay);
                    if (m.warmupSteps != null && $Object.hasOwnProperty.call(m, "warmupSteps") && m.warmupSteps !== 0)
                        w.uint32(/* id 10, wireType 0 =*/80).uint32(m.warmupSteps);
                    if (m.seed != null && $Object.hasOwnProperty.call(m, "seed") && m.seed !== 0)
                        w.uint32(/* id 11, wireType 0 =*/88).uint32(m.seed);
                    if (m.microBatch != null && $Object.hasOwnProperty.call(m, "microBatch") && m.microBatch !== 0)
                        w.uint32(/* id 12, wireType 0 =*/96).uint32(m.microBatch);
                    if (m.configHash != null && $Object.hasOwnProperty.call(m, "configHash") && m.configHash !== "")
                        w.uint32(/* id 13, wireType 2 =*/106).string(m.configHash);
                    if (m.optimizer != null && $Object.hasOwnProperty.call(m, "optimizer") && m.optimizer !== "")
                        w.uint32(/* id 14, wireType 2 =*/114).string(m.optimizer);
                    if (m.schedule != null && $Object.hasOwnProperty.call(m, "schedule") && m.schedule !== "")
                        w.uint32(/* id 15, wireType 2 =*/122).string(m.schedule);
                    if (m.clipNorm != null && $Object.hasOwnProperty.call(m, "clipNorm") && !$Object.is(m.clipNorm, 0))
                        w.uint32(/* id 16, wireType 1 =*/129).double(m.clipNorm);
                    if (m.trustCoefficient != null && $Object.hasOwnProperty.call(m, "trustCoefficient") && !$Object.is(m.trustCoefficient, 0))
                        w.uint32(/* id 17, wireType 1 =*/137).double(m.trustCoefficient);
                    if (m.wireDtype != null && $Object.hasOwnProperty.call(m, "wireDtype") && m.wireDtype !== "")
                        w.uint32(/* id 18, wireType 2 =*/146).string(m.wireDtype);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a RunSpec message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.RunSpec & lnsgd.trainer.v1.RunSpec.$Shape} RunSpec
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                RunSpec.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.RunSpec();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.preset = v;
                                else
                                    delete m.preset;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.steps = v;
                                else
                                    delete m.steps;
                                continue;
                            }
                        case 3: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.lr = v;
                                else
                                    delete m.lr;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.batch = v;
                                else
                                    delete m.batch;
                                continue;
                            }
                        case 5: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.sigma = v;
                                else
                                    delete m.sigma;
                                continue;
                            }
                        case 6: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.noise = v;
                                else
                                    delete m.noise;
                                continue;
                            }
                        case 7: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.flipProb = v;
                                else
                                    delete m.flipProb;
                                continue;
                            }
                        case 8: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.momentum = v;
                                else
                                    delete m.momentum;
                                continue;
                            }
                        case 9: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.weightDecay = v;
                                else
                                    delete m.weightDecay;
                                continue;
                            }
                        case 10: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.warmupSteps = v;
                                else
                                    delete m.warmupSteps;
                                continue;
                            }
                        case 11: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.seed = v;
                                else
                                    delete m.seed;
                                continue;
                            }
                        case 12: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.microBatch = v;
                                else
                                    delete m.microBatch;
                                continue;
                            }
                        case 13: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.configHash = v;
                                else
                                    delete m.configHash;
                                continue;
                            }
                        case 14: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.optimizer = v;
                                else
                                    delete m.optimizer;
                                continue;
                            }
                        case 15: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.schedule = v;
                                else
                                    delete m.schedule;
                                continue;
                            }
                        case 16: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.clipNorm = v;
                                else
                                    delete m.clipNorm;
                                continue;
                            }
                        case 17: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.trustCoefficient = v;
                                else
                                    delete m.trustCoefficient;
                                continue;
                            }
                        case 18: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.wireDtype = v;
                                else
                                    delete m.wireDtype;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for RunSpec
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.RunSpec
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                RunSpec.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.RunSpec";
                };

                return RunSpec;
            })();

            v1.ShardRange = (function() {

                /**
                 * Properties of a ShardRange.
                 * @typedef {Object} lnsgd.trainer.v1.ShardRange.$Properties
                 * @property {number|null} [shard] ShardRange shard
                 * @property {number|null} [offset] ShardRange offset
                 * @property {number|null} [length] ShardRange length
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ShardRange.
                 * @memberof lnsgd.trainer.v1
                 * @interface IShardRange
                 * @augments lnsgd.trainer.v1.ShardRange.$Properties
                 * @deprecated Use lnsgd.trainer.v1.ShardRange.$Properties instead.
                 */

                /**
                 * Shape of a ShardRange.
                 * @typedef {lnsgd.trainer.v1.ShardRange.$Properties} lnsgd.trainer.v1.ShardRange.$Shape
                 */

                /**
                 * Constructs a new ShardRange.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a ShardRange.
                 * @constructor
                 * @param {lnsgd.trainer.v1.ShardRange.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var ShardRange = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * ShardRange shard.
                 * @member {number} shard
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @instance
                 */
                ShardRange.prototype.shard = 0;

                /**
                 * ShardRange offset.
                 * @member {number} offset
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @instance
                 */
                ShardRange.prototype.offset = 0;

                /**
                 * ShardRange length.
                 * @member {number} length
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @instance
                 */
                ShardRange.prototype.length = 0;

                /**
                 * Creates a new ShardRange instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @static
                 * @param {lnsgd.trainer.v1.ShardRange.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.ShardRange} ShardRange instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.ShardRange.$Shape): lnsgd.trainer.v1.ShardRange & lnsgd.trainer.v1.ShardRange.$Shape;
                 *   (properties?: lnsgd.trainer.v1.ShardRange.$Properties): lnsgd.trainer.v1.ShardRange;
                 * }}
                 */
                ShardRange.create = function(properties) {
                    return new ShardRange(properties);
                };

                /**
                 * Encodes the specified ShardRange message. Does not implicitly {@link lnsgd.trainer.v1.ShardRange.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @static
                 * @param {lnsgd.trainer.v1.ShardRange.$Properties} m ShardRange message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ShardRange.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.shard != null && $Object.hasOwnProperty.call(m, "shard") && m.shard !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.shard);
                    if (m.offset != null && $Object.hasOwnProperty.call(m, "offset") && m.offset !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.offset);
                    if (m.length != null && $Object.hasOwnProperty.call(m, "length") && m.length !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.length);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a ShardRange message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.ShardRange & lnsgd.trainer.v1.ShardRange.$Shape} ShardRange
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ShardRange.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.ShardRange();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.shard = v;
                                else
                                    delete m.shard;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.offset = v;
                                else
                                    delete m.offset;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.length = v;
                                else
                                    delete m.length;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for ShardRange
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.ShardRange
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                ShardRange.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.ShardRange";
                };

                return ShardRange;
            })();

            v1.Register = (function() {

                /**
                 * Properties of a Register.
                 * @typedef {Object} lnsgd.trainer.v1.Register.$Properties
                 * @property {string|null} [workerId] Register workerId
                 * @property {number|null} [requestedRank] Register requestedRank
                 * @property {string|null} [authToken] Register authToken
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Register.
                 * @memberof lnsgd.trainer.v1
                 * @interface IRegister
                 * @augments lnsgd.trainer.v1.Register.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Register.$Properties instead.
                 */

                /**
                 * Shape of a Register.
                 * @typedef {lnsgd.trainer.v1.Register.$Properties} lnsgd.trainer.v1.Register.$Shape
                 */

                /**
                 * Constructs a new Register.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Register.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Register.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Register = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Register workerId.
                 * @member {string} workerId
                 * @memberof lnsgd.trainer.v1.Register
                 * @instance
                 */
                Register.prototype.workerId = "";

                /**
                 * Register requestedRank.
                 * @member {number} requestedRank
                 * @memberof lnsgd.trainer.v1.Register
                 * @instance
                 */
                Register.prototype.requestedRank = 0;

                /**
                 * Register authToken.
                 * @member {string} authToken
                 * @memberof lnsgd.trainer.v1.Register
                 * @instance
                 */
                Register.prototype.authToken = "";

                /**
                 * Creates a new Register instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Register
                 * @static
                 * @param {lnsgd.trainer.v1.Register.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Register} Register instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Register.$Shape): lnsgd.trainer.v1.Register & lnsgd.trainer.v1.Register.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Register.$Properties): lnsgd.trainer.v1.Register;
                 * }}
                 */
                Register.create = function(properties) {
                    return new Register(properties);
                };

                /**
                 * Encodes the specified Register message. Does not implicitly {@link lnsgd.trainer.v1.Register.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Register
                 * @static
                 * @param {lnsgd.trainer.v1.Register.$Properties} m Register message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Register.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.workerId != null && $Object.hasOwnProperty.call(m, "workerId") && m.workerId !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.workerId);
                    if (m.requestedRank != null && $Object.hasOwnProperty.call(m, "requestedRank") && m.requestedRank !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).int32(m.requestedRank);
                    if (m.authToken != null && $Object.hasOwnProperty.call(m, "authToken") && m.authToken !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.authToken);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Register message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Register
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Register & lnsgd.trainer.v1.Register.$Shape} Register
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Register.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Register();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.workerId = v;
                                else
                                    delete m.workerId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.requestedRank = v;
                                else
                                    delete m.requestedRank;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.authToken = v;
                                else
                                    delete m.authToken;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Register
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Register
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Register.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Register";
                };

                return Register;
            })();

            v1.Assignment = (function() {

                /**
                 * Properties of an Assignment.
                 * @typedef {Object} lnsgd.trainer.v1.Assignment.$Properties
                 * @property {number|null} [rank] Assignment rank
                 * @property {number|null} [worldSize] Assignment worldSize
                 * @property {lnsgd.trainer.v1.RunSpec.$Properties|null} [run] Assignment run
                 * @property {lnsgd.trainer.v1.ShardRange.$Properties|null} [range] Assignment range
                 * @property {number|null} [numShards] Assignment numShards
                 * @property {number|null} [numParams] Assignment numParams
                 * @property {number|null} [startStep] Assignment startStep
                 * @property {string|null} [session] Assignment session
                 * @property {number|null} [heartbeatIntervalMs] Assignment heartbeatIntervalMs
                 * @property {lnsgd.trainer.v1.Share.$Properties|null} [share] Assignment share
                 * @property {number|null} [partLength] Assignment partLength
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Assignment.
                 * @memberof lnsgd.trainer.v1
                 * @interface IAssignment
                 * @augments lnsgd.trainer.v1.Assignment.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Assignment.$Properties instead.
                 */

                /**
                 * Shape of an Assignment.
                 * @typedef {lnsgd.trainer.v1.Assignment.$Properties} lnsgd.trainer.v1.Assignment.$Shape
                 */

                /**
                 * Constructs a new Assignment.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents an Assignment.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Assignment.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Assignment = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Assignment rank.
                 * @member {number} rank
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.rank = 0;

                /**
                 * Assignment worldSize.
                 * @member {number} worldSize
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.worldSize = 0;

                /**
                 * Assignment run.
                 * @member {lnsgd.trainer.v1.RunSpec.$Properties|null|undefined} run
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.run = null;

                /**
                 * Assignment range.
                 * @member {lnsgd.trainer.v1.ShardRange.$Properties|null|undefined} range
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.range = null;

                /**
                 * Assignment numShards.
                 * @member {number} numShards
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.numShards = 0;

                /**
                 * Assignment numParams.
                 * @member {number} numParams
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.numParams = 0;

                /**
                 * Assignment startStep.
                 * @member {number} startStep
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.startStep = 0;

                /**
                 * Assignment session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.session = "";

                /**
                 * Assignment heartbeatIntervalMs.
                 * @member {number} heartbeatIntervalMs
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.heartbeatIntervalMs = 0;

                /**
                 * Assignment share.
                 * @member {lnsgd.trainer.v1.Share.$Properties|null|undefined} share
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.share = null;

                /**
                 * Assignment partLength.
                 * @member {number} partLength
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @instance
                 */
                Assignment.prototype.partLength = 0;

                /**
                 * Creates a new Assignment instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @static
                 * @param {lnsgd.trainer.v1.Assignment.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Assignment} Assignment instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Assignment.$Shape): lnsgd.trainer.v1.Assignment & lnsgd.trainer.v1.Assignment.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Assignment.$Properties): lnsgd.trainer.v1.Assignment;
                 * }}
                 */
                Assignment.create = function(properties) {
                    return new Assignment(properties);
                };

                /**
                 * Encodes the specified Assignment message. Does not implicitly {@link lnsgd.trainer.v1.Assignment.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @static
                 * @param {lnsgd.trainer.v1.Assignment.$Properties} m Assignment message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Assignment.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.rank != null && $Object.hasOwnProperty.call(m, "rank") && m.rank !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.rank);
                    if (m.worldSize != null && $Object.hasOwnProperty.call(m, "worldSize") && m.worldSize !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.worldSize);
                    if (m.run != null && $Object.hasOwnProperty.call(m, "run"))
                        $root.lnsgd.trainer.v1.RunSpec.encode(m.run, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                    if (m.range != null && $Object.hasOwnProperty.call(m, "range"))
                        $root.lnsgd.trainer.v1.ShardRange.encode(m.range, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                    if (m.numShards != null && $Object.hasOwnProperty.call(m, "numShards") && m.numShards !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.numShards);
                    if (m.numParams != null && $Object.hasOwnProperty.call(m, "numParams") && m.numParams !== 0)
                        w.uint32(/* id 6, wireType 0 =*/48).uint32(m.numParams);
                    if (m.startStep != null && $Object.hasOwnProperty.call(m, "startStep") && m.startStep !== 0)
                        w.uint32(/* id 7, wireType 0 =*/56).uint32(m.startStep);
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 8, wireType 2 =*/66).string(m.session);
                    if (m.heartbeatIntervalMs != null && $Object.hasOwnProperty.call(m, "heartbeatIntervalMs") && m.heartbeatIntervalMs !== 0)
                        w.uint32(/* id 9, wireType 0 =*/72).uint32(m.heartbeatIntervalMs);
                    if (m.share != null && $Object.hasOwnProperty.call(m, "share"))
                        $root.lnsgd.trainer.v1.Share.encode(m.share, w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                    if (m.partLength != null && $Object.hasOwnProperty.call(m, "partLength") && m.partLength !== 0)
                        w.uint32(/* id 11, wireType 0 =*/88).uint32(m.partLength);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes an Assignment message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Assignment & lnsgd.trainer.v1.Assignment.$Shape} Assignment
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Assignment.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Assignment();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.rank = v;
                                else
                                    delete m.rank;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.worldSize = v;
                                else
                                    delete m.worldSize;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                m.run = $root.lnsgd.trainer.v1.RunSpec.decode(r, r.size(), $undefined, q + 1, m.run);
                                continue;
                            }
                        case 4: {
                                if (u !== 2)
                                    break;
                                m.range = $root.lnsgd.trainer.v1.ShardRange.decode(r, r.size(), $undefined, q + 1, m.range);
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.numShards = v;
                                else
                                    delete m.numShards;
                                continue;
                            }
                        case 6: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.numParams = v;
                                else
                                    delete m.numParams;
                                continue;
                            }
                        case 7: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.startStep = v;
                                else
                                    delete m.startStep;
                                continue;
                            }
                        case 8: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        case 9: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.heartbeatIntervalMs = v;
                                else
                                    delete m.heartbeatIntervalMs;
                                continue;
                            }
                        case 10: {
                                if (u !== 2)
                                    break;
                                m.share = $root.lnsgd.trainer.v1.Share.decode(r, r.size(), $undefined, q + 1, m.share);
                                continue;
                            }
                        case 11: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.partLength = v;
                                else
                                    delete m.partLength;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Assignment
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Assignment
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Assignment.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Assignment";
                };

                return Assignment;
            })();

            v1.Share = (function() {

                /**
                 * Properties of a Share.
                 * @typedef {Object} lnsgd.trainer.v1.Share.$Properties
                 * @property {number|null} [epoch] Share epoch
                 * @property {number|null} [index] Share index
                 * @property {number|null} [count] Share count
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Share.
                 * @memberof lnsgd.trainer.v1
                 * @interface IShare
                 * @augments lnsgd.trainer.v1.Share.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Share.$Properties instead.
                 */

                /**
                 * Shape of a Share.
                 * @typedef {lnsgd.trainer.v1.Share.$Properties} lnsgd.trainer.v1.Share.$Shape
                 */

                /**
                 * Constructs a new Share.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Share.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Share.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Share = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Share epoch.
                 * @member {number} epoch
                 * @memberof lnsgd.trainer.v1.Share
                 * @instance
                 */
                Share.prototype.epoch = 0;

                /**
                 * Share index.
                 * @member {number} index
                 * @memberof lnsgd.trainer.v1.Share
                 * @instance
                 */
                Share.prototype.index = 0;

                /**
                 * Share count.
                 * @member {number} count
                 * @memberof lnsgd.trainer.v1.Share
                 * @instance
                 */
                Share.prototype.count = 0;

                /**
                 * Creates a new Share instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Share
                 * @static
                 * @param {lnsgd.trainer.v1.Share.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Share} Share instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Share.$Shape): lnsgd.trainer.v1.Share & lnsgd.trainer.v1.Share.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Share.$Properties): lnsgd.trainer.v1.Share;
                 * }}
                 */
                Share.create = function(properties) {
                    return new Share(properties);
                };

                /**
                 * Encodes the specified Share message. Does not implicitly {@link lnsgd.trainer.v1.Share.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Share
                 * @static
                 * @param {lnsgd.trainer.v1.Share.$Properties} m Share message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Share.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch") && m.epoch !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.epoch);
                    if (m.index != null && $Object.hasOwnProperty.call(m, "index") && m.index !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.index);
                    if (m.count != null && $Object.hasOwnProperty.call(m, "count") && m.count !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.count);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Share message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Share
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Share & lnsgd.trainer.v1.Share.$Shape} Share
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Share.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Share();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.epoch = v;
                                else
                                    delete m.epoch;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.index = v;
                                else
                                    delete m.index;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.count = v;
                                else
                                    delete m.count;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Share
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Share
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Share.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Share";
                };

                return Share;
            })();

            v1.PushGradient = (function() {

                /**
                 * Properties of a PushGradient.
                 * @typedef {Object} lnsgd.trainer.v1.PushGradient.$Properties
                 * @property {number|null} [rank] PushGradient rank
                 * @property {number|null} [step] PushGradient step
                 * @property {number|null} [numSamples] PushGradient numSamples
                 * @property {number|null} [loss] PushGradient loss
                 * @property {lnsgd.trainer.v1.TensorFrame.$Properties|null} [grad] PushGradient grad
                 * @property {string|null} [session] PushGradient session
                 * @property {lnsgd.trainer.v1.Share.$Properties|null} [share] PushGradient share
                 * @property {number|null} [part] PushGradient part
                 * @property {number|null} [parts] PushGradient parts
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PushGradient.
                 * @memberof lnsgd.trainer.v1
                 * @interface IPushGradient
                 * @augments lnsgd.trainer.v1.PushGradient.$Properties
                 * @deprecated Use lnsgd.trainer.v1.PushGradient.$Properties instead.
                 */

                /**
                 * Shape of a PushGradient.
                 * @typedef {lnsgd.trainer.v1.PushGradient.$Properties} lnsgd.trainer.v1.PushGradient.$Shape
                 */

                /**
                 * Constructs a new PushGradient.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a PushGradient.
                 * @constructor
                 * @param {lnsgd.trainer.v1.PushGradient.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var PushGradient = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * PushGradient rank.
                 * @member {number} rank
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.rank = 0;

                /**
                 * PushGradient step.
                 * @member {number} step
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.step = 0;

                /**
                 * PushGradient numSamples.
                 * @member {number} numSamples
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.numSamples = 0;

                /**
                 * PushGradient loss.
                 * @member {number} loss
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.loss = 0;

                /**
                 * PushGradient grad.
                 * @member {lnsgd.trainer.v1.TensorFrame.$Properties|null|undefined} grad
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.grad = null;

                /**
                 * PushGradient session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.session = "";

                /**
                 * PushGradient share.
                 * @member {lnsgd.trainer.v1.Share.$Properties|null|undefined} share
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.share = null;

                /**
                 * PushGradient part.
                 * @member {number} part
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.part = 0;

                /**
                 * PushGradient parts.
                 * @member {number} parts
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @instance
                 */
                PushGradient.prototype.parts = 0;

                /**
                 * Creates a new PushGradient instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @static
                 * @param {lnsgd.trainer.v1.PushGradient.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.PushGradient} PushGradient instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.PushGradient.$Shape): lnsgd.trainer.v1.PushGradient & lnsgd.trainer.v1.PushGradient.$Shape;
                 *   (properties?: lnsgd.trainer.v1.PushGradient.$Properties): lnsgd.trainer.v1.PushGradient;
                 * }}
                 */
                PushGradient.create = function(properties) {
                    return new PushGradient(properties);
                };

                /**
                 * Encodes the specified PushGradient message. Does not implicitly {@link lnsgd.trainer.v1.PushGradient.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @static
                 * @param {lnsgd.trainer.v1.PushGradient.$Properties} m PushGradient message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PushGradient.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.rank != null && $Object.hasOwnProperty.call(m, "rank") && m.rank !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.rank);
                    if (m.step != null && $Object.hasOwnProperty.call(m, "step") && m.step !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.step);
                    if (m.numSamples != null && $Object.hasOwnProperty.call(m, "numSamples") && m.numSamples !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.numSamples);
                    if (m.loss != null && $Object.hasOwnProperty.call(m, "loss") && !$Object.is(m.loss, 0))
                        w.uint32(/* id 4, wireType 1 =*/33).double(m.loss);
                    if (m.grad != null && $Object.hasOwnProperty.call(m, "grad"))
                        $root.lnsgd.trainer.v1.TensorFrame.encode(m.grad, w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 6, wireType 2 =*/50).string(m.session);
                    if (m.share != null && $Object.hasOwnProperty.call(m, "share"))
                        $root.lnsgd.trainer.v1.Share.encode(m.share, w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                    if (m.part != null && $Object.hasOwnProperty.call(m, "part") && m.part !== 0)
                        w.uint32(/* id 8, wireType 0 =*/64).uint32(m.part);
                    if (m.parts != null && $Object.hasOwnProperty.call(m, "parts") && m.parts !== 0)
                        w.uint32(/* id 9, wireType 0 =*/72).uint32(m.parts);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a PushGradient message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.PushGradient & lnsgd.trainer.v1.PushGradient.$Shape} PushGradient
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PushGradient.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.PushGradient();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.rank = v;
                                else
                                    delete m.rank;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.step = v;
                                else
                                    delete m.step;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.numSamples = v;
                                else
                                    delete m.numSamples;
                                continue;
                            }
                        case 4: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.loss = v;
                                else
                                    delete m.loss;
                                continue;
                            }
                        case 5: {
                                if (u !== 2)
                                    break;
                                m.grad = $root.lnsgd.trainer.v1.TensorFrame.decode(r, r.size(), $undefined, q + 1, m.grad);
                                continue;
                            }
                        case 6: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        case 7: {
                                if (u !== 2)
                                    break;
                                m.share = $root.lnsgd.trainer.v1.Share.decode(r, r.size(), $undefined, q + 1, m.share);
                                continue;
                            }
                        case 8: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.part = v;
                                else
                                    delete m.part;
                                continue;
                            }
                        case 9: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.parts = v;
                                else
                                    delete m.parts;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for PushGradient
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.PushGradient
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PushGradient.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.PushGradient";
                };

                return PushGradient;
            })();

            v1.Pull = (function() {

                /**
                 * Properties of a Pull.
                 * @typedef {Object} lnsgd.trainer.v1.Pull.$Properties
                 * @property {number|null} [rank] Pull rank
                 * @property {string|null} [session] Pull session
                 * @property {number|null} [minVersion] Pull minVersion
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Pull.
                 * @memberof lnsgd.trainer.v1
                 * @interface IPull
                 * @augments lnsgd.trainer.v1.Pull.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Pull.$Properties instead.
                 */

                /**
                 * Shape of a Pull.
                 * @typedef {lnsgd.trainer.v1.Pull.$Properties} lnsgd.trainer.v1.Pull.$Shape
                 */

                /**
                 * Constructs a new Pull.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Pull.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Pull.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Pull = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Pull rank.
                 * @member {number} rank
                 * @memberof lnsgd.trainer.v1.Pull
                 * @instance
                 */
                Pull.prototype.rank = 0;

                /**
                 * Pull session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.Pull
                 * @instance
                 */
                Pull.prototype.session = "";

                /**
                 * Pull minVersion.
                 * @member {number} minVersion
                 * @memberof lnsgd.trainer.v1.Pull
                 * @instance
                 */
                Pull.prototype.minVersion = 0;

                /**
                 * Creates a new Pull instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Pull
                 * @static
                 * @param {lnsgd.trainer.v1.Pull.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Pull} Pull instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Pull.$Shape): lnsgd.trainer.v1.Pull & lnsgd.trainer.v1.Pull.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Pull.$Properties): lnsgd.trainer.v1.Pull;
                 * }}
                 */
                Pull.create = function(properties) {
                    return new Pull(properties);
                };

                /**
                 * Encodes the specified Pull message. Does not implicitly {@link lnsgd.trainer.v1.Pull.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Pull
                 * @static
                 * @param {lnsgd.trainer.v1.Pull.$Properties} m Pull message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Pull.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.rank != null && $Object.hasOwnProperty.call(m, "rank") && m.rank !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.rank);
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.session);
                    if (m.minVersion != null && $Object.hasOwnProperty.call(m, "minVersion") && m.minVersion !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.minVersion);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Pull message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Pull
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Pull & lnsgd.trainer.v1.Pull.$Shape} Pull
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Pull.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Pull();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.rank = v;
                                else
                                    delete m.rank;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.minVersion = v;
                                else
                                    delete m.minVersion;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Pull
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Pull
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Pull.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Pull";
                };

                return Pull;
            })();

            v1.Params = (function() {

                /**
                 * Properties of a Params.
                 * @typedef {Object} lnsgd.trainer.v1.Params.$Properties
                 * @property {number|null} [version] Params version
                 * @property {lnsgd.trainer.v1.TensorFrame.$Properties|null} [params] Params params
                 * @property {number|null} [loss] Params loss
                 * @property {boolean|null} [final] Params final
                 * @property {lnsgd.trainer.v1.NoiseScale.$Properties|null} [noise] Params noise
                 * @property {lnsgd.trainer.v1.Share.$Properties|null} [share] Params share
                 * @property {number|null} [stepSamples] Params stepSamples
                 * @property {number|null} [part] Params part
                 * @property {number|null} [parts] Params parts
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Params.
                 * @memberof lnsgd.trainer.v1
                 * @interface IParams
                 * @augments lnsgd.trainer.v1.Params.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Params.$Properties instead.
                 */

                /**
                 * Shape of a Params.
                 * @typedef {lnsgd.trainer.v1.Params.$Properties} lnsgd.trainer.v1.Params.$Shape
                 */

                /**
                 * Constructs a new Params.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Params.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Params.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Params = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Params version.
                 * @member {number} version
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.version = 0;

                /**
                 * Params params.
                 * @member {lnsgd.trainer.v1.TensorFrame.$Properties|null|undefined} params
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.params = null;

                /**
                 * Params loss.
                 * @member {number} loss
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.loss = 0;

                /**
                 * Params final.
                 * @member {boolean} final
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.final = false;

                /**
                 * Params noise.
                 * @member {lnsgd.trainer.v1.NoiseScale.$Properties|null|undefined} noise
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.noise = null;

                /**
                 * Params share.
                 * @member {lnsgd.trainer.v1.Share.$Properties|null|undefined} share
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.share = null;

                /**
                 * Params stepSamples.
                 * @member {number} stepSamples
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.stepSamples = 0;

                /**
                 * Params part.
                 * @member {number} part
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.part = 0;

                /**
                 * Params parts.
                 * @member {number} parts
                 * @memberof lnsgd.trainer.v1.Params
                 * @instance
                 */
                Params.prototype.parts = 0;

                /**
                 * Creates a new Params instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Params
                 * @static
                 * @param {lnsgd.trainer.v1.Params.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Params} Params instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Params.$Shape): lnsgd.trainer.v1.Params & lnsgd.trainer.v1.Params.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Params.$Properties): lnsgd.trainer.v1.Params;
                 * }}
                 */
                Params.create = function(properties) {
                    return new Params(properties);
                };

                /**
                 * Encodes the specified Params message. Does not implicitly {@link lnsgd.trainer.v1.Params.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Params
                 * @static
                 * @param {lnsgd.trainer.v1.Params.$Properties} m Params message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Params.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
                    if (m.params != null && $Object.hasOwnProperty.call(m, "params"))
                        $root.lnsgd.trainer.v1.TensorFrame.encode(m.params, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                    if (m.loss != null && $Object.hasOwnProperty.call(m, "loss") && !$Object.is(m.loss, 0))
                        w.uint32(/* id 3, wireType 1 =*/25).double(m.loss);
                    if (m.final != null && $Object.hasOwnProperty.call(m, "final") && m.final !== false)
                        w.uint32(/* id 4, wireType 0 =*/32).bool(m.final);
                    if (m.noise != null && $Object.hasOwnProperty.call(m, "noise"))
                        $root.lnsgd.trainer.v1.NoiseScale.encode(m.noise, w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                    if (m.share != null && $Object.hasOwnProperty.call(m, "share"))
                        $root.lnsgd.trainer.v1.Share.encode(m.share, w.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                    if (m.stepSamples != null && $Object.hasOwnProperty.call(m, "stepSamples") && m.stepSamples !== 0)
                        w.uint32(/* id 7, wireType 0 =*/56).uint32(m.stepSamples);
                    if (m.part != null && $Object.hasOwnProperty.call(m, "part") && m.part !== 0)
                        w.uint32(/* id 8, wireType 0 =*/64).uint32(m.part);
                    if (m.parts != null && $Object.hasOwnProperty.call(m, "parts") && m.parts !== 0)
                        w.uint32(/* id 9, wireType 0 =*/72).uint32(m.parts);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Params message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Params
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Params & lnsgd.trainer.v1.Params.$Shape} Params
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Params.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Params();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.version = v;
                                else
                                    delete m.version;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                m.params = $root.lnsgd.trainer.v1.TensorFrame.decode(r, r.size(), $undefined, q + 1, m.params);
                                continue;
                            }
                        case 3: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.loss = v;
                                else
                                    delete m.loss;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.bool())
                                    m.final = v;
                                else
                                    delete m.final;
                                continue;
                            }
                        case 5: {
                                if (u !== 2)
                                    break;
                                m.noise = $root.lnsgd.trainer.v1.NoiseScale.decode(r, r.size(), $undefined, q + 1, m.noise);
                                continue;
                            }
                        case 6: {
                                if (u !== 2)
                                    break;
                                m.share = $root.lnsgd.trainer.v1.Share.decode(r, r.size(), $undefined, q + 1, m.share);
                                continue;
                            }
                        case 7: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.stepSamples = v;
                                else
                                    delete m.stepSamples;
                                continue;
                            }
                        case 8: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.part = v;
                                else
                                    delete m.part;
                                continue;
                            }
                        case 9: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.parts = v;
                                else
                                    delete m.parts;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Params
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Params
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Params.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Params";
                };

                return Params;
            })();

            v1.Membership = (function() {

                /**
                 * Properties of a Membership.
                 * @typedef {Object} lnsgd.trainer.v1.Membership.$Properties
                 * @property {lnsgd.trainer.v1.Share.$Properties|null} [share] Membership share
                 * @property {number|null} [version] Membership version
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Membership.
                 * @memberof lnsgd.trainer.v1
                 * @interface IMembership
                 * @augments lnsgd.trainer.v1.Membership.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Membership.$Properties instead.
                 */

                /**
                 * Shape of a Membership.
                 * @typedef {lnsgd.trainer.v1.Membership.$Properties} lnsgd.trainer.v1.Membership.$Shape
                 */

                /**
                 * Constructs a new Membership.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Membership.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Membership.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Membership = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Membership share.
                 * @member {lnsgd.trainer.v1.Share.$Properties|null|undefined} share
                 * @memberof lnsgd.trainer.v1.Membership
                 * @instance
                 */
                Membership.prototype.share = null;

                /**
                 * Membership version.
                 * @member {number} version
                 * @memberof lnsgd.trainer.v1.Membership
                 * @instance
                 */
                Membership.prototype.version = 0;

                /**
                 * Creates a new Membership instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Membership
                 * @static
                 * @param {lnsgd.trainer.v1.Membership.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Membership} Membership instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Membership.$Shape): lnsgd.trainer.v1.Membership & lnsgd.trainer.v1.Membership.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Membership.$Properties): lnsgd.trainer.v1.Membership;
                 * }}
                 */
                Membership.create = function(properties) {
                    return new Membership(properties);
                };

                /**
                 * Encodes the specified Membership message. Does not implicitly {@link lnsgd.trainer.v1.Membership.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Membership
                 * @static
                 * @param {lnsgd.trainer.v1.Membership.$Properties} m Membership message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Membership.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.share != null && $Object.hasOwnProperty.call(m, "share"))
                        $root.lnsgd.trainer.v1.Share.encode(m.share, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                    if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.version);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Membership message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Membership
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Membership & lnsgd.trainer.v1.Membership.$Shape} Membership
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Membership.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Membership();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                m.share = $root.lnsgd.trainer.v1.Share.decode(r, r.size(), $undefined, q + 1, m.share);
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.version = v;
                                else
                                    delete m.version;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Membership
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Membership
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Membership.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Membership";
                };

                return Membership;
            })();

            v1.NoiseScale = (function() {

                /**
                 * Properties of a NoiseScale.
                 * @typedef {Object} lnsgd.trainer.v1.NoiseScale.$Properties
                 * @property {number|null} [gradSqNorm] NoiseScale gradSqNorm
                 * @property {number|null} [traceSigma] NoiseScale traceSigma
                 * @property {number|null} [emaGradSqNorm] NoiseScale emaGradSqNorm
                 * @property {number|null} [emaTraceSigma] NoiseScale emaTraceSigma
                 * @property {number|null} [count] NoiseScale count
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a NoiseScale.
                 * @memberof lnsgd.trainer.v1
                 * @interface INoiseScale
                 * @augments lnsgd.trainer.v1.NoiseScale.$Properties
                 * @deprecated Use lnsgd.trainer.v1.NoiseScale.$Properties instead.
                 */

                /**
                 * Shape of a NoiseScale.
                 * @typedef {lnsgd.trainer.v1.NoiseScale.$Properties} lnsgd.trainer.v1.NoiseScale.$Shape
                 */

                /**
                 * Constructs a new NoiseScale.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a NoiseScale.
                 * @constructor
                 * @param {lnsgd.trainer.v1.NoiseScale.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var NoiseScale = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * NoiseScale gradSqNorm.
                 * @member {number} gradSqNorm
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @instance
                 */
                NoiseScale.prototype.gradSqNorm = 0;

                /**
                 * NoiseScale traceSigma.
                 * @member {number} traceSigma
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @instance
                 */
                NoiseScale.prototype.traceSigma = 0;

                /**
                 * NoiseScale emaGradSqNorm.
                 * @member {number} emaGradSqNorm
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @instance
                 */
                NoiseScale.prototype.emaGradSqNorm = 0;

                /**
                 * NoiseScale emaTraceSigma.
                 * @member {number} emaTraceSigma
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @instance
                 */
                NoiseScale.prototype.emaTraceSigma = 0;

                /**
                 * NoiseScale count.
                 * @member {number} count
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @instance
                 */
                NoiseScale.prototype.count = 0;

                /**
                 * Creates a new NoiseScale instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @static
                 * @param {lnsgd.trainer.v1.NoiseScale.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.NoiseScale} NoiseScale instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.NoiseScale.$Shape): lnsgd.trainer.v1.NoiseScale & lnsgd.trainer.v1.NoiseScale.$Shape;
                 *   (properties?: lnsgd.trainer.v1.NoiseScale.$Properties): lnsgd.trainer.v1.NoiseScale;
                 * }}
                 */
                NoiseScale.create = function(properties) {
                    return new NoiseScale(properties);
                };

                /**
                 * Encodes the specified NoiseScale message. Does not implicitly {@link lnsgd.trainer.v1.NoiseScale.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @static
                 * @param {lnsgd.trainer.v1.NoiseScale.$Properties} m NoiseScale message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                NoiseScale.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.gradSqNorm != null && $Object.hasOwnProperty.call(m, "gradSqNorm") && !$Object.is(m.gradSqNorm, 0))
                        w.uint32(/* id 1, wireType 1 =*/9).double(m.gradSqNorm);
                    if (m.traceSigma != null && $Object.hasOwnProperty.call(m, "traceSigma") && !$Object.is(m.traceSigma, 0))
                        w.uint32(/* id 2, wireType 1 =*/17).double(m.traceSigma);
                    if (m.emaGradSqNorm != null && $Object.hasOwnProperty.call(m, "emaGradSqNorm") && !$Object.is(m.emaGradSqNorm, 0))
                        w.uint32(/* id 3, wireType 1 =*/25).double(m.emaGradSqNorm);
                    if (m.emaTraceSigma != null && $Object.hasOwnProperty.call(m, "emaTraceSigma") && !$Object.is(m.emaTraceSigma, 0))
                        w.uint32(/* id 4, wireType 1 =*/33).double(m.emaTraceSigma);
                    if (m.count != null && $Object.hasOwnProperty.call(m, "count") && m.count !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.count);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a NoiseScale message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.NoiseScale & lnsgd.trainer.v1.NoiseScale.$Shape} NoiseScale
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                NoiseScale.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.NoiseScale();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.gradSqNorm = v;
                                else
                                    delete m.gradSqNorm;
                                continue;
                            }
                        case 2: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.traceSigma = v;
                                else
                                    delete m.traceSigma;
                                continue;
                            }
                        case 3: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.emaGradSqNorm = v;
                                else
                                    delete m.emaGradSqNorm;
                                continue;
                            }
                        case 4: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.emaTraceSigma = v;
                                else
                                    delete m.emaTraceSigma;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.count = v;
                                else
                                    delete m.count;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for NoiseScale
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.NoiseScale
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                NoiseScale.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.NoiseScale";
                };

                return NoiseScale;
            })();

            v1.Heartbeat = (function() {

                /**
                 * Properties of a Heartbeat.
                 * @typedef {Object} lnsgd.trainer.v1.Heartbeat.$Properties
                 * @property {number|null} [rank] Heartbeat rank
                 * @property {number|null} [step] Heartbeat step
                 * @property {string|null} [session] Heartbeat session
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Heartbeat.
                 * @memberof lnsgd.trainer.v1
                 * @interface IHeartbeat
                 * @augments lnsgd.trainer.v1.Heartbeat.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Heartbeat.$Properties instead.
                 */

                /**
                 * Shape of a Heartbeat.
                 * @typedef {lnsgd.trainer.v1.Heartbeat.$Properties} lnsgd.trainer.v1.Heartbeat.$Shape
                 */

                /**
                 * Constructs a new Heartbeat.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Heartbeat.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Heartbeat.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Heartbeat = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Heartbeat rank.
                 * @member {number} rank
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @instance
                 */
                Heartbeat.prototype.rank = 0;

                /**
                 * Heartbeat step.
                 * @member {number} step
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @instance
                 */
                Heartbeat.prototype.step = 0;

                /**
                 * Heartbeat session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @instance
                 */
                Heartbeat.prototype.session = "";

                /**
                 * Creates a new Heartbeat instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @static
                 * @param {lnsgd.trainer.v1.Heartbeat.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Heartbeat} Heartbeat instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Heartbeat.$Shape): lnsgd.trainer.v1.Heartbeat & lnsgd.trainer.v1.Heartbeat.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Heartbeat.$Properties): lnsgd.trainer.v1.Heartbeat;
                 * }}
                 */
                Heartbeat.create = function(properties) {
                    return new Heartbeat(properties);
                };

                /**
                 * Encodes the specified Heartbeat message. Does not implicitly {@link lnsgd.trainer.v1.Heartbeat.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @static
                 * @param {lnsgd.trainer.v1.Heartbeat.$Properties} m Heartbeat message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Heartbeat.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.rank != null && $Object.hasOwnProperty.call(m, "rank") && m.rank !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.rank);
                    if (m.step != null && $Object.hasOwnProperty.call(m, "step") && m.step !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.step);
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.session);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Heartbeat message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Heartbeat & lnsgd.trainer.v1.Heartbeat.$Shape} Heartbeat
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Heartbeat.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Heartbeat();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.rank = v;
                                else
                                    delete m.rank;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.step = v;
                                else
                                    delete m.step;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Heartbeat
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Heartbeat
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Heartbeat.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Heartbeat";
                };

                return Heartbeat;
            })();

            v1.HeartbeatAck = (function() {

                /**
                 * Properties of a HeartbeatAck.
                 * @typedef {Object} lnsgd.trainer.v1.HeartbeatAck.$Properties
                 * @property {number|null} [version] HeartbeatAck version
                 * @property {string|null} [session] HeartbeatAck session
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a HeartbeatAck.
                 * @memberof lnsgd.trainer.v1
                 * @interface IHeartbeatAck
                 * @augments lnsgd.trainer.v1.HeartbeatAck.$Properties
                 * @deprecated Use lnsgd.trainer.v1.HeartbeatAck.$Properties instead.
                 */

                /**
                 * Shape of a HeartbeatAck.
                 * @typedef {lnsgd.trainer.v1.HeartbeatAck.$Properties} lnsgd.trainer.v1.HeartbeatAck.$Shape
                 */

                /**
                 * Constructs a new HeartbeatAck.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a HeartbeatAck.
                 * @constructor
                 * @param {lnsgd.trainer.v1.HeartbeatAck.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var HeartbeatAck = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * HeartbeatAck version.
                 * @member {number} version
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @instance
                 */
                HeartbeatAck.prototype.version = 0;

                /**
                 * HeartbeatAck session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @instance
                 */
                HeartbeatAck.prototype.session = "";

                /**
                 * Creates a new HeartbeatAck instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @static
                 * @param {lnsgd.trainer.v1.HeartbeatAck.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.HeartbeatAck} HeartbeatAck instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.HeartbeatAck.$Shape): lnsgd.trainer.v1.HeartbeatAck & lnsgd.trainer.v1.HeartbeatAck.$Shape;
                 *   (properties?: lnsgd.trainer.v1.HeartbeatAck.$Properties): lnsgd.trainer.v1.HeartbeatAck;
                 * }}
                 */
                HeartbeatAck.create = function(properties) {
                    return new HeartbeatAck(properties);
                };

                /**
                 * Encodes the specified HeartbeatAck message. Does not implicitly {@link lnsgd.trainer.v1.HeartbeatAck.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @static
                 * @param {lnsgd.trainer.v1.HeartbeatAck.$Properties} m HeartbeatAck message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                HeartbeatAck.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.session);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a HeartbeatAck message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.HeartbeatAck & lnsgd.trainer.v1.HeartbeatAck.$Shape} HeartbeatAck
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                HeartbeatAck.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.HeartbeatAck();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.version = v;
                                else
                                    delete m.version;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for HeartbeatAck
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.HeartbeatAck
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                HeartbeatAck.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.HeartbeatAck";
                };

                return HeartbeatAck;
            })();

            v1.SnapshotRequest = (function() {

                /**
                 * Properties of a SnapshotRequest.
                 * @typedef {Object} lnsgd.trainer.v1.SnapshotRequest.$Properties
                 * @property {boolean|null} [includeParams] SnapshotRequest includeParams
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SnapshotRequest.
                 * @memberof lnsgd.trainer.v1
                 * @interface ISnapshotRequest
                 * @augments lnsgd.trainer.v1.SnapshotRequest.$Properties
                 * @deprecated Use lnsgd.trainer.v1.SnapshotRequest.$Properties instead.
                 */

                /**
                 * Shape of a SnapshotRequest.
                 * @typedef {lnsgd.trainer.v1.SnapshotRequest.$Properties} lnsgd.trainer.v1.SnapshotRequest.$Shape
                 */

                /**
                 * Constructs a new SnapshotRequest.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a SnapshotRequest.
                 * @constructor
                 * @param {lnsgd.trainer.v1.SnapshotRequest.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var SnapshotRequest = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * SnapshotRequest includeParams.
                 * @member {boolean} includeParams
                 * @memberof lnsgd.trainer.v1.SnapshotRequest
                 * @instance
                 */
                SnapshotRequest.prototype.includeParams = false;

                /**
                 * Creates a new SnapshotRequest instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.SnapshotRequest
                 * @static
                 * @param {lnsgd.trainer.v1.SnapshotRequest.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.SnapshotRequest} SnapshotRequest instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.SnapshotRequest.$Shape): lnsgd.trainer.v1.SnapshotRequest & lnsgd.trainer.v1.SnapshotRequest.$Shape;
                 *   (properties?: lnsgd.trainer.v1.SnapshotRequest.$Properties): lnsgd.trainer.v1.SnapshotRequest;
                 * }}
                 */
                SnapshotRequest.create = function(properties) {
                    return new SnapshotRequest(properties);
                };

                /**
                 * Encodes the specified SnapshotRequest message. Does not implicitly {@link lnsgd.trainer.v1.SnapshotRequest.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.SnapshotRequest
                 * @static
                 * @param {lnsgd.trainer.v1.SnapshotRequest.$Properties} m SnapshotRequest message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SnapshotRequest.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.includeParams != null && $Object.hasOwnProperty.call(m, "includeParams") && m.includeParams !== false)
                        w.uint32(/* id 1, wireType 0 =*/8).bool(m.includeParams);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a SnapshotRequest message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.SnapshotRequest
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.SnapshotRequest & lnsgd.trainer.v1.SnapshotRequest.$Shape} SnapshotRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SnapshotRequest.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.SnapshotRequest();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.bool())
                                    m.includeParams = v;
                                else
                                    delete m.includeParams;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for SnapshotRequest
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.SnapshotRequest
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                SnapshotRequest.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.SnapshotRequest";
                };

                return SnapshotRequest;
            })();

            v1.Snapshot = (function() {

                /**
                 * Properties of a Snapshot.
                 * @typedef {Object} lnsgd.trainer.v1.Snapshot.$Properties
                 * @property {number|null} [version] Snapshot version
                 * @property {lnsgd.trainer.v1.ShardRange.$Properties|null} [range] Snapshot range
                 * @property {number|null} [numShards] Snapshot numShards
                 * @property {lnsgd.trainer.v1.TensorFrame.$Properties|null} [params] Snapshot params
                 * @property {lnsgd.trainer.v1.NoiseScale.$Properties|null} [noise] Snapshot noise
                 * @property {number|null} [liveWorkers] Snapshot liveWorkers
                 * @property {string|null} [configHash] Snapshot configHash
                 * @property {lnsgd.trainer.v1.ShardStats.$Properties|null} [stats] Snapshot stats
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Snapshot.
                 * @memberof lnsgd.trainer.v1
                 * @interface ISnapshot
                 * @augments lnsgd.trainer.v1.Snapshot.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Snapshot.$Properties instead.
                 */

                /**
                 * Shape of a Snapshot.
                 * @typedef {lnsgd.trainer.v1.Snapshot.$Properties} lnsgd.trainer.v1.Snapshot.$Shape
                 */

                /**
                 * Constructs a new Snapshot.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Snapshot.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Snapshot.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Snapshot = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Snapshot version.
                 * @member {number} version
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.version = 0;

                /**
                 * Snapshot range.
                 * @member {lnsgd.trainer.v1.ShardRange.$Properties|null|undefined} range
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.range = null;

                /**
                 * Snapshot numShards.
                 * @member {number} numShards
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.numShards = 0;

                /**
                 * Snapshot params.
                 * @member {lnsgd.trainer.v1.TensorFrame.$Properties|null|undefined} params
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.params = null;

                /**
                 * Snapshot noise.
                 * @member {lnsgd.trainer.v1.NoiseScale.$Properties|null|undefined} noise
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.noise = null;

                /**
                 * Snapshot liveWorkers.
                 * @member {number} liveWorkers
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.liveWorkers = 0;

                /**
                 * Snapshot configHash.
                 * @member {string} configHash
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.configHash = "";

                /**
                 * Snapshot stats.
                 * @member {lnsgd.trainer.v1.ShardStats.$Properties|null|undefined} stats
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @instance
                 */
                Snapshot.prototype.stats = null;

                /**
                 * Creates a new Snapshot instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @static
                 * @param {lnsgd.trainer.v1.Snapshot.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Snapshot} Snapshot instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Snapshot.$Shape): lnsgd.trainer.v1.Snapshot & lnsgd.trainer.v1.Snapshot.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Snapshot.$Properties): lnsgd.trainer.v1.Snapshot;
                 * }}
                 */
                Snapshot.create = function(properties) {
                    return new Snapshot(properties);
                };

                /**
                 * Encodes the specified Snapshot message. Does not implicitly {@link lnsgd.trainer.v1.Snapshot.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @static
                 * @param {lnsgd.trainer.v1.Snapshot.$Properties} m Snapshot message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Snapshot.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
                    if (m.range != null && $Object.hasOwnProperty.call(m, "range"))
                        $root.lnsgd.trainer.v1.ShardRange.encode(m.range, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                    if (m.numShards != null && $Object.hasOwnProperty.call(m, "numShards") && m.numShards !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.numShards);
                    if (m.params != null && $Object.hasOwnProperty.call(m, "params"))
                        $root.lnsgd.trainer.v1.TensorFrame.encode(m.params, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                    if (m.noise != null && $Object.hasOwnProperty.call(m, "noise"))
                        $root.lnsgd.trainer.v1.NoiseScale.encode(m.noise, w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                    if (m.liveWorkers != null && $Object.hasOwnProperty.call(m, "liveWorkers") && m.liveWorkers !== 0)
                        w.uint32(/* id 6, wireType 0 =*/48).uint32(m.liveWorkers);
                    if (m.configHash != null && $Object.hasOwnProperty.call(m, "configHash") && m.configHash !== "")
                        w.uint32(/* id 7, wireType 2 =*/58).string(m.configHash);
                    if (m.stats != null && $Object.hasOwnProperty.call(m, "stats"))
                        $root.lnsgd.trainer.v1.ShardStats.encode(m.stats, w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Snapshot message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Snapshot & lnsgd.trainer.v1.Snapshot.$Shape} Snapshot
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Snapshot.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Snapshot();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.version = v;
                                else
                                    delete m.version;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                m.range = $root.lnsgd.trainer.v1.ShardRange.decode(r, r.size(), $undefined, q + 1, m.range);
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.numShards = v;
                                else
                                    delete m.numShards;
                                continue;
                            }
                        case 4: {
                                if (u !== 2)
                                    break;
                                m.params = $root.lnsgd.trainer.v1.TensorFrame.decode(r, r.size(), $undefined, q + 1, m.params);
                                continue;
                            }
                        case 5: {
                                if (u !== 2)
                                    break;
                                m.noise = $root.lnsgd.trainer.v1.NoiseScale.decode(r, r.size(), $undefined, q + 1, m.noise);
                                continue;
                            }
                        case 6: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.liveWorkers = v;
                                else
                                    delete m.liveWorkers;
                                continue;
                            }
                        case 7: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.configHash = v;
                                else
                                    delete m.configHash;
                                continue;
                            }
                        case 8: {
                                if (u !== 2)
                                    break;
                                m.stats = $root.lnsgd.trainer.v1.ShardStats.decode(r, r.size(), $undefined, q + 1, m.stats);
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Snapshot
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Snapshot
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Snapshot.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Snapshot";
                };

                return Snapshot;
            })();

            v1.ShardStats = (function() {

                /**
                 * Properties of a ShardStats.
                 * @typedef {Object} lnsgd.trainer.v1.ShardStats.$Properties
                 * @property {number|null} [stepsClosed] ShardStats stepsClosed
                 * @property {number|null} [pushesAccepted] ShardStats pushesAccepted
                 * @property {number|null} [pushesDuplicate] ShardStats pushesDuplicate
                 * @property {number|null} [pushesStale] ShardStats pushesStale
                 * @property {number|null} [malformed] ShardStats malformed
                 * @property {number|null} [badShape] ShardStats badShape
                 * @property {number|null} [nonFinite] ShardStats nonFinite
                 * @property {number|null} [checksumMismatch] ShardStats checksumMismatch
                 * @property {number|null} [unknownWorker] ShardStats unknownWorker
                 * @property {number|null} [tooLarge] ShardStats tooLarge
                 * @property {number|null} [notAuthorized] ShardStats notAuthorized
                 * @property {number|null} [versionMismatch] ShardStats versionMismatch
                 * @property {number|null} [stepMismatch] ShardStats stepMismatch
                 * @property {number|null} [checkpointsWritten] ShardStats checkpointsWritten
                 * @property {number|null} [bytesReceived] ShardStats bytesReceived
                 * @property {number|null} [bytesSent] ShardStats bytesSent
                 * @property {number|null} [pushesResent] ShardStats pushesResent
                 * @property {number|null} [runFull] ShardStats runFull
                 * @property {number|null} [shuttingDown] ShardStats shuttingDown
                 * @property {number|null} [pushesRecompute] ShardStats pushesRecompute
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ShardStats.
                 * @memberof lnsgd.trainer.v1
                 * @interface IShardStats
                 * @augments lnsgd.trainer.v1.ShardStats.$Properties
                 * @deprecated Use lnsgd.trainer.v1.ShardStats.$Properties instead.
                 */

                /**
                 * Shape of a ShardStats.
                 * @typedef {lnsgd.trainer.v1.ShardStats.$Properties} lnsgd.trainer.v1.ShardStats.$Shape
                 */

                /**
                 * Constructs a new ShardStats.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a ShardStats.
                 * @constructor
                 * @param {lnsgd.trainer.v1.ShardStats.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var ShardStats = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * ShardStats stepsClosed.
                 * @member {number} stepsClosed
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.stepsClosed = 0;

                /**
                 * ShardStats pushesAccepted.
                 * @member {number} pushesAccepted
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.pushesAccepted = 0;

                /**
                 * ShardStats pushesDuplicate.
                 * @member {number} pushesDuplicate
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.pushesDuplicate = 0;

                /**
                 * ShardStats pushesStale.
                 * @member {number} pushesStale
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.pushesStale = 0;

                /**
                 * ShardStats malformed.
                 * @member {number} malformed
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.malformed = 0;

                /**
                 * ShardStats badShape.
                 * @member {number} badShape
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.badShape = 0;

                /**
                 * ShardStats nonFinite.
                 * @member {number} nonFinite
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.nonFinite = 0;

                /**
                 * ShardStats checksumMismatch.
                 * @member {number} checksumMismatch
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.checksumMismatch = 0;

                /**
                 * ShardStats unknownWorker.
                 * @member {number} unknownWorker
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.unknownWorker = 0;

                /**
                 * ShardStats tooLarge.
                 * @member {number} tooLarge
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.tooLarge = 0;

                /**
                 * ShardStats notAuthorized.
                 * @member {number} notAuthorized
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.notAuthorized = 0;

                /**
                 * ShardStats versionMismatch.
                 * @member {number} versionMismatch
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.versionMismatch = 0;

                /**
                 * ShardStats stepMismatch.
                 * @member {number} stepMismatch
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.stepMismatch = 0;

                /**
                 * ShardStats checkpointsWritten.
                 * @member {number} checkpointsWritten
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.checkpointsWritten = 0;

                /**
                 * ShardStats bytesReceived.
                 * @member {number} bytesReceived
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.bytesReceived = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ShardStats bytesSent.
                 * @member {number} bytesSent
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.bytesSent = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * ShardStats pushesResent.
                 * @member {number} pushesResent
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.pushesResent = 0;

                /**
                 * ShardStats runFull.
                 * @member {number} runFull
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.runFull = 0;

                /**
                 * ShardStats shuttingDown.
                 * @member {number} shuttingDown
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.shuttingDown = 0;

                /**
                 * ShardStats pushesRecompute.
                 * @member {number} pushesRecompute
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @instance
                 */
                ShardStats.prototype.pushesRecompute = 0;

                /**
                 * Creates a new ShardStats instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @static
                 * @param {lnsgd.trainer.v1.ShardStats.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.ShardStats} ShardStats instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.ShardStats.$Shape): lnsgd.trainer.v1.ShardStats & lnsgd.trainer.v1.ShardStats.$Shape;
                 *   (properties?: lnsgd.trainer.v1.ShardStats.$Properties): lnsgd.trainer.v1.ShardStats;
                 * }}
                 */
                ShardStats.create = function(properties) {
                    return new ShardStats(properties);
                };

                /**
                 * Encodes the specified ShardStats message. Does not implicitly {@link lnsgd.trainer.v1.ShardStats.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @static
                 * @param {lnsgd.trainer.v1.ShardStats.$Properties} m ShardStats message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ShardStats.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.stepsClosed != null && $Object.hasOwnProperty.call(m, "stepsClosed") && m.stepsClosed !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.stepsClosed);
                    if (m.pushesAccepted != null && $Object.hasOwnProperty.call(m, "pushesAccepted") && m.pushesAccepted !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.pushesAccepted);
                    if (m.pushesDuplicate != null && $Object.hasOwnProperty.call(m, "pushesDuplicate") && m.pushesDuplicate !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.pushesDuplicate);
                    if (m.pushesStale != null && $Object.hasOwnProperty.call(m, "pushesStale") && m.pushesStale !== 0)
                        w.uint32(/* id 4, wireType 0 =*/32).uint32(m.pushesStale);
                    if (m.malformed != null && $Object.hasOwnProperty.call(m, "malformed") && m.malformed !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.malformed);
                    if (m.badShape != null && $Object.hasOwnProperty.call(m, "badShape") && m.badShape !== 0)
                        w.uint32(/* id 6, wireType 0 =*/48).uint32(m.badShape);
                    if (m.nonFinite != null && $Object.hasOwnProperty.call(m, "nonFinite") && m.nonFinite !== 0)
                        w.uint32(/* id 7, wireType 0 =*/56).uint32(m.nonFinite);
                    if (m.checksumMismatch != null && $Object.hasOwnProperty.call(m, "checksumMismatch") && m.checksumMismatch !== 0)
                        w.uint32(/* id 8, wireType 0 =*/64).uint32(m.checksumMismatch);
                    if (m.unknownWorker != null && $Object.hasOwnProperty.call(m, "unknownWorker") && m.unknownWorker !== 0)
                        w.uint32(/* id 9, wireType 0 =*/72).uint32(m.unknownWorker);
                    if (m.tooLarge != null && $Object.hasOwnProperty.call(m, "tooLarge") && m.tooLarge !== 0)
                        w.uint32(/* id 10, wireType 0 =*/80).uint32(m.tooLarge);
                    if (m.notAuthorized != null && $Object.hasOwnProperty.call(m, "notAuthorized") && m.notAuthorized !== 0)
                        w.uint32(/* id 11, wireType 0 =*/88).uint32(m.notAuthorized);
                    if (m.versionMismatch != null && $Object.hasOwnProperty.call(m, "versionMismatch") && m.versionMismatch !== 0)
                        w.uint32(/* id 12, wireType 0 =*/96).uint32(m.versionMismatch);
                    if (m.stepMismatch != null && $Object.hasOwnProperty.call(m, "stepMismatch") && m.stepMismatch !== 0)
                        w.uint32(/* id 13, wireType 0 =*/104).uint32(m.stepMismatch);
                    if (m.checkpointsWritten != null && $Object.hasOwnProperty.call(m, "checkpointsWritten") && m.checkpointsWritten !== 0)
                        w.uint32(/* id 14, wireType 0 =*/112).uint32(m.checkpointsWritten);
                    if (m.bytesReceived != null && $Object.hasOwnProperty.call(m, "bytesReceived") && (typeof m.bytesReceived === "object" ? m.bytesReceived.low || m.bytesReceived.high : m.bytesReceived !== 0))
                        w.uint32(/* id 15, wireType 0 =*/120).uint64(m.bytesReceived);
                    if (m.bytesSent != null && $Object.hasOwnProperty.call(m, "bytesSent") && (typeof m.bytesSent === "object" ? m.bytesSent.low || m.bytesSent.high : m.bytesSent !== 0))
                        w.uint32(/* id 16, wireType 0 =*/128).uint64(m.bytesSent);
                    if (m.pushesResent != null && $Object.hasOwnProperty.call(m, "pushesResent") && m.pushesResent !== 0)
                        w.uint32(/* id 17, wireType 0 =*/136).uint32(m.pushesResent);
                    if (m.runFull != null && $Object.hasOwnProperty.call(m, "runFull") && m.runFull !== 0)
                        w.uint32(/* id 18, wireType 0 =*/144).uint32(m.runFull);
                    if (m.shuttingDown != null && $Object.hasOwnProperty.call(m, "shuttingDown") && m.shuttingDown !== 0)
                        w.uint32(/* id 19, wireType 0 =*/152).uint32(m.shuttingDown);
                    if (m.pushesRecompute != null && $Object.hasOwnProperty.call(m, "pushesRecompute") && m.pushesRecompute !== 0)
                        w.uint32(/* id 20, wireType 0 =*/160).uint32(m.pushesRecompute);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a ShardStats message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.ShardStats & lnsgd.trainer.v1.ShardStats.$Shape} ShardStats
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ShardStats.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.ShardStats();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.stepsClosed = v;
                                else
                                    delete m.stepsClosed;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.pushesAccepted = v;
                                else
                                    delete m.pushesAccepted;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.pushesDuplicate = v;
                                else
                                    delete m.pushesDuplicate;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.pushesStale = v;
                                else
                                    delete m.pushesStale;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.malformed = v;
                                else
                                    delete m.malformed;
                                continue;
                            }
                        case 6: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.badShape = v;
                                else
                                    delete m.badShape;
                                continue;
                            }
                        case 7: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.nonFinite = v;
                                else
                                    delete m.nonFinite;
                                continue;
                            }
                        case 8: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.checksumMismatch = v;
                                else
                                    delete m.checksumMismatch;
                                continue;
                            }
                        case 9: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.unknownWorker = v;
                                else
                                    delete m.unknownWorker;
                                continue;
                            }
                        case 10: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.tooLarge = v;
                                else
                                    delete m.tooLarge;
                                continue;
                            }
                        case 11: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.notAuthorized = v;
                                else
                                    delete m.notAuthorized;
                                continue;
                            }
                        case 12: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.versionMismatch = v;
                                else
                                    delete m.versionMismatch;
                                continue;
                            }
                        case 13: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.stepMismatch = v;
                                else
                                    delete m.stepMismatch;
                                continue;
                            }
                        case 14: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.checkpointsWritten = v;
                                else
                                    delete m.checkpointsWritten;
                                continue;
                            }
                        case 15: {
                                if (u !== 0)
                                    break;
                                if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                    m.bytesReceived = v;
                                else
                                    delete m.bytesReceived;
                                continue;
                            }
                        case 16: {
                                if (u !== 0)
                                    break;
                                if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                    m.bytesSent = v;
                                else
                                    delete m.bytesSent;
                                continue;
                            }
                        case 17: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.pushesResent = v;
                                else
                                    delete m.pushesResent;
                                continue;
                            }
                        case 18: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.runFull = v;
                                else
                                    delete m.runFull;
                                continue;
                            }
                        case 19: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.shuttingDown = v;
                                else
                                    delete m.shuttingDown;
                                continue;
                            }
                        case 20: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.pushesRecompute = v;
                                else
                                    delete m.pushesRecompute;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for ShardStats
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.ShardStats
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                ShardStats.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.ShardStats";
                };

                return ShardStats;
            })();

            /**
             * ErrorCode enum.
             * @name lnsgd.trainer.v1.ErrorCode
             * @enum {number}
             * @property {number} ERROR_UNSPECIFIED=0 ERROR_UNSPECIFIED value
             * @property {number} MALFORMED=1 MALFORMED value
             * @property {number} UNKNOWN_WORKER=2 UNKNOWN_WORKER value
             * @property {number} VERSION_MISMATCH=3 VERSION_MISMATCH value
             * @property {number} STEP_MISMATCH=4 STEP_MISMATCH value
             * @property {number} BAD_SHAPE=5 BAD_SHAPE value
             * @property {number} CHECKSUM_MISMATCH=6 CHECKSUM_MISMATCH value
             * @property {number} STALE_PUSH=7 STALE_PUSH value
             * @property {number} DUPLICATE_PUSH=8 DUPLICATE_PUSH value
             * @property {number} NOT_AUTHORIZED=9 NOT_AUTHORIZED value
             * @property {number} NON_FINITE=10 NON_FINITE value
             * @property {number} TOO_LARGE=11 TOO_LARGE value
             * @property {number} RUN_FULL=12 RUN_FULL value
             * @property {number} SHUTTING_DOWN=13 SHUTTING_DOWN value
             * @property {number} RECOMPUTE=14 RECOMPUTE value
             */
            v1.ErrorCode = (function() {
                var valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "ERROR_UNSPECIFIED"] = 0;
                values[valuesById[1] = "MALFORMED"] = 1;
                values[valuesById[2] = "UNKNOWN_WORKER"] = 2;
                values[valuesById[3] = "VERSION_MISMATCH"] = 3;
                values[valuesById[4] = "STEP_MISMATCH"] = 4;
                values[valuesById[5] = "BAD_SHAPE"] = 5;
                values[valuesById[6] = "CHECKSUM_MISMATCH"] = 6;
                values[valuesById[7] = "STALE_PUSH"] = 7;
                values[valuesById[8] = "DUPLICATE_PUSH"] = 8;
                values[valuesById[9] = "NOT_AUTHORIZED"] = 9;
                values[valuesById[10] = "NON_FINITE"] = 10;
                values[valuesById[11] = "TOO_LARGE"] = 11;
                values[valuesById[12] = "RUN_FULL"] = 12;
                values[valuesById[13] = "SHUTTING_DOWN"] = 13;
                values[valuesById[14] = "RECOMPUTE"] = 14;
                return values;
            })();

            v1.Error = (function() {

                /**
                 * Properties of an Error.
                 * @typedef {Object} lnsgd.trainer.v1.Error.$Properties
                 * @property {lnsgd.trainer.v1.ErrorCode|null} [code] Error code
                 * @property {string|null} [message] Error message
                 * @property {number|null} [currentVersion] Error currentVersion
                 * @property {lnsgd.trainer.v1.Share.$Properties|null} [share] Error share
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Error.
                 * @memberof lnsgd.trainer.v1
                 * @interface IError
                 * @augments lnsgd.trainer.v1.Error.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Error.$Properties instead.
                 */

                /**
                 * Shape of an Error.
                 * @typedef {lnsgd.trainer.v1.Error.$Properties} lnsgd.trainer.v1.Error.$Shape
                 */

                /**
                 * Constructs a new Error.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents an Error.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Error.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Error = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Error code.
                 * @member {lnsgd.trainer.v1.ErrorCode} code
                 * @memberof lnsgd.trainer.v1.Error
                 * @instance
                 */
                Error.prototype.code = 0;

                /**
                 * Error message.
                 * @member {string} message
                 * @memberof lnsgd.trainer.v1.Error
                 * @instance
                 */
                Error.prototype.message = "";

                /**
                 * Error currentVersion.
                 * @member {number} currentVersion
                 * @memberof lnsgd.trainer.v1.Error
                 * @instance
                 */
                Error.prototype.currentVersion = 0;

                /**
                 * Error share.
                 * @member {lnsgd.trainer.v1.Share.$Properties|null|undefined} share
                 * @memberof lnsgd.trainer.v1.Error
                 * @instance
                 */
                Error.prototype.share = null;

                /**
                 * Creates a new Error instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Error
                 * @static
                 * @param {lnsgd.trainer.v1.Error.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Error} Error instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Error.$Shape): lnsgd.trainer.v1.Error & lnsgd.trainer.v1.Error.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Error.$Properties): lnsgd.trainer.v1.Error;
                 * }}
                 */
                Error.create = function(properties) {
                    return new Error(properties);
                };

                /**
                 * Encodes the specified Error message. Does not implicitly {@link lnsgd.trainer.v1.Error.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Error
                 * @static
                 * @param {lnsgd.trainer.v1.Error.$Properties} m Error message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Error.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.code != null && $Object.hasOwnProperty.call(m, "code") && m.code !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).int32(m.code);
                    if (m.message != null && $Object.hasOwnProperty.call(m, "message") && m.message !== "")
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.message);
                    if (m.currentVersion != null && $Object.hasOwnProperty.call(m, "currentVersion") && m.currentVersion !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.currentVersion);
                    if (m.share != null && $Object.hasOwnProperty.call(m, "share"))
                        $root.lnsgd.trainer.v1.Share.encode(m.share, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes an Error message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Error
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Error & lnsgd.trainer.v1.Error.$Shape} Error
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Error.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Error();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.code = v;
                                else
                                    delete m.code;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.message = v;
                                else
                                    delete m.message;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.currentVersion = v;
                                else
                                    delete m.currentVersion;
                                continue;
                            }
                        case 4: {
                                if (u !== 2)
                                    break;
                                m.share = $root.lnsgd.trainer.v1.Share.decode(r, r.size(), $undefined, q + 1, m.share);
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Error
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Error
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Error.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Error";
                };

                return Error;
            })();

            v1.Stop = (function() {

                /**
                 * Properties of a Stop.
                 * @typedef {Object} lnsgd.trainer.v1.Stop.$Properties
                 * @property {string|null} [reason] Stop reason
                 * @property {lnsgd.trainer.v1.Goodbye.$Properties|null} [goodbye] Stop goodbye
                 * @property {string|null} [authToken] Stop authToken
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Stop.
                 * @memberof lnsgd.trainer.v1
                 * @interface IStop
                 * @augments lnsgd.trainer.v1.Stop.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Stop.$Properties instead.
                 */

                /**
                 * Shape of a Stop.
                 * @typedef {lnsgd.trainer.v1.Stop.$Properties} lnsgd.trainer.v1.Stop.$Shape
                 */

                /**
                 * Constructs a new Stop.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Stop.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Stop.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Stop = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Stop reason.
                 * @member {string} reason
                 * @memberof lnsgd.trainer.v1.Stop
                 * @instance
                 */
                Stop.prototype.reason = "";

                /**
                 * Stop goodbye.
                 * @member {lnsgd.trainer.v1.Goodbye.$Properties|null|undefined} goodbye
                 * @memberof lnsgd.trainer.v1.Stop
                 * @instance
                 */
                Stop.prototype.goodbye = null;

                /**
                 * Stop authToken.
                 * @member {string} authToken
                 * @memberof lnsgd.trainer.v1.Stop
                 * @instance
                 */
                Stop.prototype.authToken = "";

                /**
                 * Creates a new Stop instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Stop
                 * @static
                 * @param {lnsgd.trainer.v1.Stop.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Stop} Stop instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Stop.$Shape): lnsgd.trainer.v1.Stop & lnsgd.trainer.v1.Stop.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Stop.$Properties): lnsgd.trainer.v1.Stop;
                 * }}
                 */
                Stop.create = function(properties) {
                    return new Stop(properties);
                };

                /**
                 * Encodes the specified Stop message. Does not implicitly {@link lnsgd.trainer.v1.Stop.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Stop
                 * @static
                 * @param {lnsgd.trainer.v1.Stop.$Properties} m Stop message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Stop.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.reason);
                    if (m.goodbye != null && $Object.hasOwnProperty.call(m, "goodbye"))
                        $root.lnsgd.trainer.v1.Goodbye.encode(m.goodbye, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                    if (m.authToken != null && $Object.hasOwnProperty.call(m, "authToken") && m.authToken !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.authToken);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Stop message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Stop
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Stop & lnsgd.trainer.v1.Stop.$Shape} Stop
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Stop.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Stop();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.reason = v;
                                else
                                    delete m.reason;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                m.goodbye = $root.lnsgd.trainer.v1.Goodbye.decode(r, r.size(), $undefined, q + 1, m.goodbye);
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.authToken = v;
                                else
                                    delete m.authToken;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Stop
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Stop
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Stop.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Stop";
                };

                return Stop;
            })();

            v1.Goodbye = (function() {

                /**
                 * Properties of a Goodbye.
                 * @typedef {Object} lnsgd.trainer.v1.Goodbye.$Properties
                 * @property {number|null} [rank] Goodbye rank
                 * @property {string|null} [session] Goodbye session
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Goodbye.
                 * @memberof lnsgd.trainer.v1
                 * @interface IGoodbye
                 * @augments lnsgd.trainer.v1.Goodbye.$Properties
                 * @deprecated Use lnsgd.trainer.v1.Goodbye.$Properties instead.
                 */

                /**
                 * Shape of a Goodbye.
                 * @typedef {lnsgd.trainer.v1.Goodbye.$Properties} lnsgd.trainer.v1.Goodbye.$Shape
                 */

                /**
                 * Constructs a new Goodbye.
                 * @memberof lnsgd.trainer.v1
                 * @classdesc Represents a Goodbye.
                 * @constructor
                 * @param {lnsgd.trainer.v1.Goodbye.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                var Goodbye = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Goodbye rank.
                 * @member {number} rank
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @instance
                 */
                Goodbye.prototype.rank = 0;

                /**
                 * Goodbye session.
                 * @member {string} session
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @instance
                 */
                Goodbye.prototype.session = "";

                /**
                 * Creates a new Goodbye instance using the specified properties.
                 * @function create
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @static
                 * @param {lnsgd.trainer.v1.Goodbye.$Properties=} [properties] Properties to set
                 * @returns {lnsgd.trainer.v1.Goodbye} Goodbye instance
                 * @type {{
                 *   (properties: lnsgd.trainer.v1.Goodbye.$Shape): lnsgd.trainer.v1.Goodbye & lnsgd.trainer.v1.Goodbye.$Shape;
                 *   (properties?: lnsgd.trainer.v1.Goodbye.$Properties): lnsgd.trainer.v1.Goodbye;
                 * }}
                 */
                Goodbye.create = function(properties) {
                    return new Goodbye(properties);
                };

                /**
                 * Encodes the specified Goodbye message. Does not implicitly {@link lnsgd.trainer.v1.Goodbye.verify|verify} messages.
                 * @function encode
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @static
                 * @param {lnsgd.trainer.v1.Goodbye.$Properties} m Goodbye message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Goodbye.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.rank != null && $Object.hasOwnProperty.call(m, "rank") && m.rank !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.rank);
                    if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session !== "")
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.session);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Goodbye message from the specified reader or buffer.
                 * @function decode
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {lnsgd.trainer.v1.Goodbye & lnsgd.trainer.v1.Goodbye.$Shape} Goodbye
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Goodbye.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.lnsgd.trainer.v1.Goodbye();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.rank = v;
                                else
                                    delete m.rank;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.session = v;
                                else
                                    delete m.session;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Gets the type url for Goodbye
                 * @function getTypeUrl
                 * @memberof lnsgd.trainer.v1.Goodbye
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Goodbye.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/lnsgd.trainer.v1.Goodbye";
                };

                return Goodbye;
            })();

            return v1;
        })();

        return trainer;
    })();

    return lnsgd;
})();

module.exports = $root;
