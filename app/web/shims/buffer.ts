// The global Buffer that the light client code (modules/ibc/lightclient) uses, for the browser bundle:
// the buffer package, injected by esbuild (scripts/build-web.js).
export { Buffer } from "buffer";
