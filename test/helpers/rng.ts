/** The tests draw their random inputs from the app's seeded generator (mulberry32): a failing seed replays exactly. */
export { Rng } from "../../app/sidecar/rng";
