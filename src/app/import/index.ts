import { type AnyOperation, inToolset } from "../operation.ts";
import { importOperation } from "./import.ts";

/** `baton import <format> <path>`: other tools' files as Baton's specs, plans and tickets. */
export const IMPORT_OPERATIONS: readonly AnyOperation[] = inToolset("import", [importOperation]);
