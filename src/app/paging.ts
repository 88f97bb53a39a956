import type { Field } from "../core/fields.ts";

/** A person's page is longer than an agent's, whose context every row costs. */
export const CLI_PAGE = 100;
export const TOOL_PAGE = 20;
export const TOOL_PAGE_MAX = 100;

/** `limit` and `offset` of a list an operation pages at its source (tickets, topics). */
export const PAGE_FIELDS = {
  limit: {
    type: "int",
    min: 0,
    apiMax: TOOL_PAGE_MAX,
    default: { cli: CLI_PAGE, api: TOOL_PAGE },
    description: `at most this many rows (default ${CLI_PAGE} on the CLI, ${TOOL_PAGE} for tools, at most ${TOOL_PAGE_MAX}; 0: totals only)`,
    cli: {
      value: "<n>",
      all: { flag: "all", description: `every match (default: the first ${CLI_PAGE})` },
    },
  },
  offset: {
    type: "int",
    min: 0,
    description: "skip this many rows (default 0)",
    cli: { value: "<n>" },
  },
} as const satisfies Record<string, Field>;
