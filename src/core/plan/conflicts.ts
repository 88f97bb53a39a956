/**
 * Phase 3's pure parts: the conflicts a context package's risk implies, their candidate
 * strategies, and the check of an agent's resolutions against them.
 */
import type { ConflictDetection } from "./context-risk.ts";

export type ConflictCategory =
  | "concurrent_plan"
  | "spec_overlap"
  | "uncommitted_changes"
  | "public_api";

export interface Conflict {
  id: string;
  brief: string;
  severity: "low" | "medium" | "high";
  category: ConflictCategory;
  /** The other plan or spec of an overlap (concurrent_plan, spec_overlap). */
  with?: string;
  affected_files: string[];
  strategies: string[];
  recommended: string;
}

const STRATEGIES: Record<ConflictCategory, { strategies: string[]; recommended: string }> = {
  concurrent_plan: {
    strategies: ["sequence_after", "coordinate", "split_scope", "proceed"],
    recommended: "sequence_after",
  },
  spec_overlap: {
    strategies: ["align_with_spec", "coordinate", "proceed"],
    recommended: "align_with_spec",
  },
  uncommitted_changes: {
    strategies: ["commit_first", "stash", "include_in_plan", "proceed"],
    recommended: "commit_first",
  },
  public_api: {
    strategies: ["keep_compatible", "version_change", "proceed"],
    recommended: "keep_compatible",
  },
};

/** Conflicts in a stable order: overlaps (as detected), uncommitted changes, public APIs. */
export function deriveConflicts(detection: ConflictDetection): Conflict[] {
  const out: Omit<Conflict, "id">[] = [];
  const make = (
    category: ConflictCategory,
    brief: string,
    severity: Conflict["severity"],
    files: string[],
    other?: string,
  ) =>
    out.push({
      brief,
      severity,
      category,
      ...(other === undefined ? {} : { with: other }),
      affected_files: files,
      ...STRATEGIES[category],
    });
  const dirty = new Set(detection.uncommitted_files);
  for (const o of detection.overlaps) {
    const severity = o.files.some((f) => dirty.has(f)) || o.files.length > 3 ? "high" : "medium";
    if (o.kind === "plan") {
      make(
        "concurrent_plan",
        `open plan ${o.with} changes the same files`,
        severity,
        o.files,
        o.with,
      );
    } else {
      make(
        "spec_overlap",
        `spec ${o.with} names the same files in its tasks`,
        "medium",
        o.files,
        o.with,
      );
    }
  }
  if (detection.uncommitted_files.length > 0) {
    make(
      "uncommitted_changes",
      "affected files have uncommitted changes",
      "medium",
      detection.uncommitted_files,
    );
  }
  if (detection.public_api_files.length > 0) {
    make(
      "public_api",
      "public API or data model files are affected",
      "low",
      detection.public_api_files,
    );
  }
  return out.map((c, i) => ({ id: `CONF-${i + 1}`, ...c }));
}

export interface Resolution {
  id: string;
  strategy: string;
  note?: string;
}

/** `{knowledgeDir}/topics/<plan>/conflict-resolution.json`: phase 3's recorded decisions. */
export interface ConflictResolutionFile {
  schema_version: number;
  plan: string;
  decided_at: string;
  risk_level: string;
  conflicts: Conflict[];
  resolutions: Resolution[];
}

export interface ResolutionFinding {
  code: string;
  message: string;
  hint: string;
}

/**
 * Checks the agent's resolutions: a JSON array of {id, strategy, note?}, each id a known
 * conflict decided once with one of its strategies, and every conflict decided.
 */
export function checkResolutions(
  conflicts: readonly Conflict[],
  input: unknown,
): { resolutions: Resolution[]; findings: ResolutionFinding[] } {
  const findings: ResolutionFinding[] = [];
  const resolutions: Resolution[] = [];
  if (!Array.isArray(input)) {
    findings.push({
      code: "RESOLUTIONS_NOT_ARRAY",
      message: "the resolutions must be a JSON array",
      hint: 'give [{"id": "CONF-1", "strategy": "sequence_after", "note": "..."}]',
    });
    return { resolutions, findings };
  }
  const byId = new Map(conflicts.map((c) => [c.id, c]));
  const seen = new Set<string>();
  input.forEach((item, i) => {
    const r = item as Partial<Resolution> | null;
    if (!r || typeof r !== "object" || typeof r.id !== "string" || typeof r.strategy !== "string") {
      findings.push({
        code: "RESOLUTION_MALFORMED",
        message: `resolution ${i + 1} needs string id and strategy`,
        hint: 'each item is {"id": "CONF-1", "strategy": "...", "note": "..."}',
      });
      return;
    }
    const conflict = byId.get(r.id);
    if (!conflict) {
      findings.push({
        code: "CONFLICT_UNKNOWN",
        message: `no conflict ${r.id}`,
        hint: `known conflicts: ${[...byId.keys()].join(", ") || "none"}`,
      });
      return;
    }
    if (seen.has(r.id)) {
      findings.push({
        code: "CONFLICT_DUPLICATE",
        message: `${r.id} is decided twice`,
        hint: "keep one decision per conflict",
      });
      return;
    }
    seen.add(r.id);
    if (!conflict.strategies.includes(r.strategy)) {
      findings.push({
        code: "STRATEGY_UNKNOWN",
        message: `${r.id} has no strategy ${r.strategy}`,
        hint: `choose one of: ${conflict.strategies.join(", ")}`,
      });
      return;
    }
    const note = typeof r.note === "string" && r.note.trim() !== "" ? r.note.trim() : undefined;
    resolutions.push(
      note ? { id: r.id, strategy: r.strategy, note } : { id: r.id, strategy: r.strategy },
    );
  });
  for (const c of conflicts) {
    if (!seen.has(c.id) && !findings.some((f) => f.message.includes(c.id))) {
      findings.push({
        code: "CONFLICT_UNDECIDED",
        message: `${c.id} (${c.brief}) has no decision`,
        hint: `add {"id": "${c.id}", "strategy": "${c.recommended}"} or use --recommended`,
      });
    }
  }
  return { resolutions, findings };
}

export function recommendedResolutions(conflicts: readonly Conflict[]): Resolution[] {
  return conflicts.map((c) => ({ id: c.id, strategy: c.recommended }));
}

/** The other plan of a concurrent_plan conflict (older files name it only in the brief). */
export function conflictPlan(c: Conflict): string | null {
  if (c.category !== "concurrent_plan") return null;
  return c.with ?? /^open plan (\S+) changes/.exec(c.brief)?.[1] ?? null;
}

/** The Conflict Decisions section of planning-notes.md: one line per decided conflict. */
export function renderDecisions(
  conflicts: readonly Conflict[],
  resolutions: readonly Resolution[],
): string {
  const byId = new Map(conflicts.map((c) => [c.id, c]));
  return resolutions
    .map((r) => {
      const c = byId.get(r.id) as Conflict;
      return `- ${r.id} (${c.severity}, ${c.category}): ${c.brief} → **${r.strategy}**${r.note ? ` — ${r.note}` : ""}`;
    })
    .join("\n");
}
