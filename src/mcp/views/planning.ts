import type { BacklogResult } from "../../app/planning/backlog.ts";
import type { SessionList } from "../../app/planning/seed-sessions.ts";
import { activeSession, summarizeSession } from "../../app/planning/sessions.ts";
import type { Fields } from "../../core/fields.ts";
import { DEFAULT_LIMIT, paged, pageLists } from "../inputs.ts";
import type { ToolView } from "../tool-view.ts";

const LIMIT = {
  type: "int",
  min: 0,
  max: 100,
  description: `at most this many rows (default ${DEFAULT_LIMIT}, max 100; 0: totals only)`,
} as const;

const PAGE: Fields = {
  limit: LIMIT,
  offset: { type: "int", min: 0, description: "skip this many rows (default 0)" },
};

export const planningViews: Readonly<Record<string, ToolView>> = {
  // An agent gets the active session with the others, and a page of them.
  "seed --sessions": {
    input: PAGE,
    run: async (env, input, op) => ({
      ...((await op.run(env, input)) as SessionList),
      active: activeSession(env.context()),
    }),
    shape: (r: SessionList & { active: ReturnType<typeof activeSession> }, args) => {
      const { rows, ...rest } = paged(r.sessions, args);
      return { active: r.active ? summarizeSession(r.active) : null, ...rest, sessions: rows };
    },
  },
  // The tickets a backlog made are listed by ticket_list; the answer carries the first ones.
  backlog: {
    input: { limit: LIMIT },
    shape: (r: BacklogResult, args) => pageLists(r, ["tickets"], { limit: args.limit }),
  },
};
