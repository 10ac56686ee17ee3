export type { GrpcBackend, SimulatedResult } from "./backend";
export { abciQueryErrorOf, grpcStatusOf, GrpcStatusError } from "./errors";
export { BLOCK_HEIGHT_HEADER, startGrpcServer } from "./server";
export type { GrpcServer } from "./server";
export { queryServices } from "./services";
export type { QueryAnswer, QueryMethod, QueryServices } from "./services";
