export type { Application } from "./application";
export { dispatch } from "./dispatch";
export { encodeFrame, FrameDecoder, FramingError, MAX_FRAME_BYTES } from "./framing";
export { AbciServer } from "./server";
export type { AbciServerOptions, ListenAddress } from "./server";
