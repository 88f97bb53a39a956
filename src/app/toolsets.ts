/**
 * Which tools `baton mcp` offers, by the toolset each operation's tool belongs to. Every tool
 * costs an agent context in tools/list, so by default the server offers a compact set, the tools
 * of everyday work; `baton mcp --tools` names the toolsets to offer instead (`all` for every one).
 */
import { BatonError } from "../core/errors.ts";

/** Each toolset and what it holds. */
export const TOOLSETS: Readonly<Record<string, string>> = {
  journal: "status, resume and the journal",
  planning: "seeds, spikes, plans, backlogs, topics and planning sessions",
  plan: "the plan workflow: context, conflicts, tasks, verify, next",
  tickets: "backlog tickets",
  specs: "specs, their documents, lint, trace, and the author's steps of the approval gate",
  review: "the reviewer's steps of the approval gate: approve, reject, request changes",
  work: "work sessions implementing a spec: claims, the ready queue, heartbeats, progress",
  import:
    "imports of other tools' specs and task lists: Kiro, Spec Kit, OpenSpec, Taskmaster, Backlog.md, CCW",
  integrity: "doctor: what merges, edits and crashes leave in Baton's files, and its repair",
};

/** The toolsets offered when none are named. */
export const DEFAULT_TOOLSETS: readonly string[] = ["journal", "planning", "tickets", "specs"];

/** The names `--tools` takes: a comma-separated list, or `all`. */
export function parseToolsets(text: string): string[] {
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.includes("all")) return Object.keys(TOOLSETS);
  const unknown = names.filter((n) => TOOLSETS[n] === undefined);
  if (unknown.length > 0 || names.length === 0) {
    throw new BatonError(
      "USAGE",
      names.length === 0
        ? "--tools needs at least one toolset"
        : `unknown toolset ${unknown.map((u) => JSON.stringify(u)).join(", ")}`,
      `--tools takes a comma-separated list of ${Object.keys(TOOLSETS).join(", ")}, or all`,
    );
  }
  return names;
}
