import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { isEventId } from "../../core/ids.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import type { WorkEvent } from "../../core/work/events.ts";
import { requireSpecStatus } from "../../store/specs.ts";
import { readWorkEvents } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { WORK_SPEC } from "./fields.ts";

export interface TimelineResult {
  spec: string;
  /** Events after `since` (all when not given): their number. */
  total: number;
  /** The last `limit` of them, oldest first. */
  events: WorkEvent[];
}

export const workTimelineOperation = defineOperation({
  name: "work timeline",
  summary: "a spec's coordination timeline: every change to its sessions and claims",
  description:
    "Read from {planning.dir}/<spec>/events.jsonl, oldest first: work.started, work.claimed (a take-over names the holder it replaced), work.released, work.message, work.blocked, work.unblocked, work.waiting, work.ended, work.progress, work.task_done. --since takes a time (2026-12-04T10:00:00Z) or an event id (the events after it). Heartbeats are not events. With --json: {spec, total, events: [{id, at, type, session, task, …}]}.",
  examples: [
    "baton work timeline user-auth",
    "baton work timeline user-auth --since 2026-12-04T10:00:00Z --limit 200 --json",
  ],
  access: "read",
  input: {
    spec: WORK_SPEC,
    since: {
      type: "string",
      min: 1,
      description: "only events after this time (ISO 8601) or event id",
      apiDescription: "ISO time or event id: only later events",
      cli: { value: "<time|ev-id>" },
    },
    limit: {
      type: "int",
      min: 1,
      max: 100_000,
      apiMax: 100,
      default: { cli: 50, api: 20 },
      example: 50,
      description: "the last N events (default 50)",
      apiDescription: "the last N events (default 20)",
      cli: { value: "<n>" },
    },
  },
  tool: { description: "A spec's coordination timeline.", cut: ["events"] },
  run: (env, input) => timeline(env.context(), input),
});

export function timeline(
  ctx: AppContext,
  input: { spec: string; since?: string | undefined; limit?: number | undefined },
): TimelineResult {
  const spec = requireSpecStatus(ctx.ws, assertSpecName(input.spec)).name;
  let events = readWorkEvents(ctx.ws, spec);
  const since = input.since?.trim();
  if (since !== undefined) {
    if (isEventId(since)) {
      const at = events.findIndex((e) => e.id === since);
      if (at === -1) {
        throw new BatonError(
          "INVALID_INPUT",
          `spec ${spec}'s timeline has no event ${since}`,
          `give an event id from ${cmd("work timeline", { spec })}, or a time`,
        );
      }
      events = events.slice(at + 1);
    } else {
      const ms = Date.parse(since);
      if (Number.isNaN(ms)) {
        throw new BatonError(
          "INVALID_INPUT",
          `--since ${JSON.stringify(since.slice(0, 60))} is neither a time nor an event id`,
          "give a time such as 2026-12-04T10:00:00Z, or an event id (evt-…)",
        );
      }
      events = events.filter((e) => Date.parse(e.at) > ms);
    }
  }
  const limit = input.limit ?? 50;
  return { spec, total: events.length, events: events.slice(-limit) };
}
