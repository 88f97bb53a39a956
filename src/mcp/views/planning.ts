import { TOOL_PAGE_FIELDS } from "../../app/paging.ts";
import type { BacklogResult } from "../../app/planning/backlog.ts";
import {
  activePlanningSession,
  summarizePlanningSession,
} from "../../app/planning/planning-session.ts";
import type { PlanningSessionList } from "../../app/planning/seed-sessions.ts";
import { paged, pageLists } from "../inputs.ts";
import type { ToolView } from "../tool-view.ts";

export const planningViews: Readonly<Record<string, ToolView>> = {
  // An agent gets the active session with the others, and a page of them.
  "seed --sessions": {
    input: TOOL_PAGE_FIELDS,
    run: async (env, input, op) => ({
      ...((await op.run(env, input)) as PlanningSessionList),
      active: activePlanningSession(env.context()),
    }),
    shape: (
      r: PlanningSessionList & { active: ReturnType<typeof activePlanningSession> },
      args,
    ) => {
      const { rows, ...rest } = paged(r.sessions, args);
      return {
        active: r.active ? summarizePlanningSession(r.active) : null,
        ...rest,
        sessions: rows,
      };
    },
  },
  // The tickets a backlog made are listed by ticket_list; the answer carries the first ones.
  backlog: {
    input: { limit: TOOL_PAGE_FIELDS.limit },
    shape: (r: BacklogResult, args) => pageLists(r, ["tickets"], { limit: args.limit }),
  },
};
