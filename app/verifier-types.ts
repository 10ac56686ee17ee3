// The claims protobuf types the app's ABCI side uses (one import place for app/).
export { Verdict as VerdictProto, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
export type { ExtVerdict } from "../proto/gen/mira/claims/v1/claims";
