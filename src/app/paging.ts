import type { Field } from "../core/fields.ts";

/** A person's page is longer than an agent's, whose context every row costs. */
export const CLI_PAGE = 100;
export const TOOL_PAGE = 20;
export const TOOL_PAGE_MAX = 100;

// Words an agent reads once per paged tool: the bounds are in the schema, so they say only the rest.
const TOOL_LIMIT_WORDS = `rows per list (default ${TOOL_PAGE}; 0: totals only)`;
const TOOL_OFFSET_WORDS = "rows to skip";

/** The `limit`/`offset` a tool takes when it pages lists of a result the CLI prints whole. */
export const TOOL_PAGE_FIELDS = {
  limit: {
    type: "int",
    min: 0,
    max: TOOL_PAGE_MAX,
    default: { api: TOOL_PAGE },
    description: TOOL_LIMIT_WORDS,
  },
  offset: { type: "int", min: 0, description: TOOL_OFFSET_WORDS },
} as const satisfies Record<string, Field>;

/** `limit` and `offset` of a list an operation pages at its source (tickets, topics). */
export const PAGE_FIELDS = {
  limit: {
    type: "int",
    min: 0,
    apiMax: TOOL_PAGE_MAX,
    default: { cli: CLI_PAGE, api: TOOL_PAGE },
    description: `at most this many rows (default ${CLI_PAGE}; 0: totals only)`,
    apiDescription: TOOL_LIMIT_WORDS,
    cli: {
      value: "<n>",
      all: { flag: "all", description: `every match (default: the first ${CLI_PAGE})` },
    },
  },
  offset: {
    type: "int",
    min: 0,
    description: "skip this many rows (default 0)",
    apiDescription: TOOL_OFFSET_WORDS,
    cli: { value: "<n>" },
  },
} as const satisfies Record<string, Field>;

export interface PageArgs {
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface PageNote<K extends string> {
  offset: number;
  limit: number;
  /** Every row of each paged list, before paging. */
  total: Record<K, number>;
}

/**
 * A result whose named lists are paged alike (the same offset and limit for each), with `page`
 * saying how many rows each list has in all.
 */
export function pageLists<T extends object, K extends keyof T & string>(
  value: T,
  fields: readonly K[],
  args: PageArgs,
): T & { page: PageNote<K> } {
  const start = args.offset ?? 0;
  const size = args.limit ?? TOOL_PAGE;
  const out = { ...value } as Record<string, unknown>;
  const total = {} as Record<K, number>;
  for (const field of fields) {
    const rows = value[field];
    if (!Array.isArray(rows)) continue;
    total[field] = rows.length;
    out[field] = rows.slice(start, start + size);
  }
  return { ...(out as T), page: { offset: start, limit: size, total } };
}
