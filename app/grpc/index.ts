export type { GrpcBackend, SimulatedResult } from "./backend";
export { BLOCK_HEIGHT_HEADER, grpcStatusOf, GrpcStatusError, startGrpcServer } from "./server";
export type { GrpcServer } from "./server";
