import { type AnyOperation, inToolset } from "../operation.ts";
import { doctorFixOperation, doctorOperation } from "./doctor.ts";
import { mergeDriverOperation } from "./merge-driver.ts";

/** The integrity of Baton's files: what merges, edits and crashes leave, and its repair. */
export const INTEGRITY_OPERATIONS: readonly AnyOperation[] = inToolset("integrity", [
  doctorOperation,
  doctorFixOperation,
  mergeDriverOperation,
]);
