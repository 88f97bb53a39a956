/**
 * Lists are paged: an agent asks for more instead of receiving everything at once. The CLI's
 * `--limit`/`--offset` take any whole number from 0 (0: only the totals); over MCP a page is
 * also capped, so no single answer can flood a context.
 */
import { TOOL_PAGE } from "../app/paging.ts";

export const DEFAULT_LIMIT = TOOL_PAGE;

export interface PageArgs {
  limit?: number | undefined;
  offset?: number | undefined;
}

/** One page of `rows`, as topic_list and ticket_list answer: {total, offset, limit, rows}. */
export function paged<T>(rows: readonly T[], args: PageArgs) {
  const start = args.offset ?? 0;
  const size = args.limit ?? DEFAULT_LIMIT;
  return { total: rows.length, offset: start, limit: size, rows: rows.slice(start, start + size) };
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
  const size = args.limit ?? DEFAULT_LIMIT;
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
