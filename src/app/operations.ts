/**
 * Every operation Baton offers, in the order `baton --help` lists them. The CLI, the MCP server
 * and the HTTP API all derive their commands, tools and routes from this one list; each noun
 * (src/app/<noun>/) lists its own verbs.
 */
import type { AnyOperation } from "./operation.ts";
import { SPEC_OPERATIONS } from "./specs/index.ts";
import { TICKET_OPERATIONS } from "./tickets/index.ts";

export const OPERATIONS: readonly AnyOperation[] = [...TICKET_OPERATIONS, ...SPEC_OPERATIONS];
