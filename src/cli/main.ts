/** The whole CLI: `run(argv, io)` over every command. */
import { OPERATIONS } from "../app/operations.ts";
import { TABLE } from "./registry.ts";
import { createRun, type Run } from "./runner.ts";

export { type Io, VERSION } from "./runner.ts";

export const run: Run = createRun(TABLE, { operations: () => OPERATIONS });
