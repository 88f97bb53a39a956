/**
 * Lists are paged: an agent asks for more instead of receiving everything at once. The CLI's
 * `--limit`/`--offset` take any whole number from 0 (0: only the totals); over MCP a page is
 * also capped, so no single answer can flood a context.
 */
import { type PageArgs, TOOL_PAGE } from "../app/paging.ts";

export { type PageArgs, type PageNote, pageLists } from "../app/paging.ts";

export const DEFAULT_LIMIT = TOOL_PAGE;

/** One page of `rows`, as topic_list and ticket_list answer: {total, offset, limit, rows}. */
export function paged<T>(rows: readonly T[], args: PageArgs) {
  const start = args.offset ?? 0;
  const size = args.limit ?? DEFAULT_LIMIT;
  return { total: rows.length, offset: start, limit: size, rows: rows.slice(start, start + size) };
}
