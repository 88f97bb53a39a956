/**
 * Every operation Baton offers, in the order `baton --help` lists them. The CLI, the MCP server
 * and the HTTP API all derive their commands, tools and routes from this one list; each noun
 * (src/app/<noun>/) lists its own verbs.
 */
import { IMPORT_OPERATIONS } from "./import/index.ts";

import { INTEGRITY_OPERATIONS } from "./integrity/index.ts";
import { JOURNAL_OPERATIONS } from "./journal/index.ts";
import type { AnyOperation } from "./operation.ts";
import { PLAN_OPERATIONS } from "./plan/index.ts";
import { PLANNING_OPERATIONS } from "./planning/index.ts";
import { SPEC_OPERATIONS } from "./specs/index.ts";
import { TICKET_OPERATIONS } from "./tickets/index.ts";
import { WORK_OPERATIONS } from "./work/index.ts";
import { WORKSPACE_OPERATIONS } from "./workspace/index.ts";

export const OPERATIONS: readonly AnyOperation[] = [
  ...WORKSPACE_OPERATIONS,
  ...INTEGRITY_OPERATIONS,
  ...PLANNING_OPERATIONS,
  ...PLAN_OPERATIONS,
  ...TICKET_OPERATIONS,
  ...JOURNAL_OPERATIONS,
  ...SPEC_OPERATIONS,
  ...WORK_OPERATIONS,
  ...IMPORT_OPERATIONS,
];
