/**
 * The whole CLI's bundle (dist/baton-cli.js). dist/baton.js, the installed `baton`, requires it, or
 * the bundle of the one first word argv names, and calls `run`.
 */
export { run } from "./main.ts";
