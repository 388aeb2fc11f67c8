export { Membership } from './membership';
export type { Member, MembershipEvent, MembershipOptions, Registration, Share, WorkerLossPolicy } from './membership';
export { MAX_RESENDS, StepBarrier } from './step_barrier';
export type { Closed, Dropped, Offer, OfferedPush, PushIdentity } from './step_barrier';
export { checkPush, shareSamples } from './push_check';
export type { PushContext, PushFacts, PushRefusal, PushVerdict } from './push_check';
export { ParameterShard } from './parameter_shard';
export type { ClosedStep, ParameterShardOptions, PendingPush } from './parameter_shard';
