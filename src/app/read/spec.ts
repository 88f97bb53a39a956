import type { JournalFacts } from "../../core/journal.ts";
import {
  listSpecNames,
  readActiveSpec,
  readSpecStatus,
  specContentHash,
} from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";

export type SpecSummary = JournalFacts["spec"];

/**
 * The active spec for status, resume and the journal; a broken spec file never breaks them. An
 * approved spec whose documents changed since is shown as back in review, as the next spec
 * command will record it, so no reader is told it may start implementing.
 */
export function activeSpecSummary(ws: Workspace): SpecSummary {
  try {
    const name = readActiveSpec(ws);
    const stored = name ? readSpecStatus(ws, name) : null;
    if (!stored) return null;
    const changed =
      stored.stage === "approved" &&
      stored.approved_hash !== null &&
      specContentHash(ws, stored) !== stored.approved_hash;
    return {
      name: stored.name,
      stage: changed ? "in_review" : stored.stage,
      last_known_branch: stored.last_known_branch,
      ...(changed ? { changed_since_approval: true } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * The specs still under way (neither done nor rejected), by name: without an active spec (the
 * pointer is per machine, so a fresh clone has none) they are what an agent looks for.
 */
export function specsUnderWay(ws: Workspace): { name: string; stage: string }[] {
  const open: { name: string; stage: string }[] = [];
  for (const name of listSpecNames(ws)) {
    try {
      const status = readSpecStatus(ws, name);
      if (status && status.stage !== "done" && status.stage !== "rejected") {
        open.push({ name: status.name, stage: status.stage });
      }
    } catch {
      // A broken status.yaml is reported by the spec commands, not by the readers of these facts.
    }
  }
  return open;
}
