/**
 * The repairs `baton doctor --fix` makes, each planned by a finding as data (`RepairPlan`,
 * src/core/doctor.ts) and made inside the one transaction of the fix: only what loses nothing.
 */
import type { DoctorFix, PlannedFinding, RepairPlan } from "../../core/doctor.ts";
import { rebuildSession, withoutLines } from "../../core/doctor.ts";
import { attachSpike } from "../../core/planning-session.ts";
import { adoptOrphanTopics, foldIndexDuplicates } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { cleanLog } from "../../store/integrity.ts";
import {
  planningSnapshotExists,
  readActivePlanningSession,
  readCatalog,
  readPlanningSnapshot,
  readText,
  writeActivePlanningSession,
  writePlanningSnapshot,
  writeText,
} from "../../store/repo.ts";
import { writeActiveSpec } from "../../store/specs.ts";
import { repoPath, type Workspace } from "../../store/workspace.ts";

/** The order repairs are made in: the catalog is folded before topics are added back to it. */
const ORDER: readonly RepairPlan["kind"][] = [
  "interrupted",
  "clean-log",
  "fold-index",
  "adopt-topics",
  "rebuild-session",
  "add-spike",
  "drop-source-line",
  "clear-active-spec",
];

/** Makes the repairs the findings plan, once each; what was done, per finding it fixed. */
export function makeRepairs(ws: Workspace, findings: PlannedFinding[], now: string): DoctorFix[] {
  const fixes: DoctorFix[] = [];
  const planned = findings.filter((f): f is PlannedFinding & { repair: RepairPlan } => !!f.repair);
  for (const kind of ORDER) {
    const mine = planned.filter((f) => f.repair.kind === kind);
    if (mine.length === 0) continue;
    if (kind === "clean-log") {
      for (const file of new Set(mine.map((f) => f.file))) {
        const done = cleanLog(ws, file);
        if (!done) continue;
        const parts = [
          ...(done.cut ? ["cut the torn last line"] : []),
          ...(done.dropped > 0
            ? [`kept once ${done.dropped} line${done.dropped === 1 ? "" : "s"} held twice`]
            : []),
        ];
        for (const f of mine.filter((m) => m.file === file))
          fixes.push({ code: f.code, file, did: parts.join("; ") });
      }
    } else if (kind === "fold-index") {
      const folded = foldIndexDuplicates(ws);
      if (folded.length > 0)
        for (const f of mine)
          fixes.push({
            code: f.code,
            file: f.file,
            did: `folded ${folded.join(", ")} into one entry each`,
          });
    } else if (kind === "adopt-topics") {
      const adopted = new Set(adoptOrphanTopics(ws, now));
      for (const id of adopted)
        recordEvent(ws, "topic.adopted", now, { topic: id, reason: "listed by no catalog entry" });
      for (const f of mine) {
        const id = f.file.split("/").at(-1) as string;
        if (adopted.has(id))
          fixes.push({ code: f.code, file: f.file, did: `added ${id} to the catalog` });
      }
    } else if (kind === "rebuild-session") {
      const topics = readCatalog(ws).topics;
      const done = new Set<string>();
      for (const f of mine) {
        const id = (f.repair as Extract<RepairPlan, { kind: "rebuild-session" }>).session;
        if (!done.has(id)) {
          const session = rebuildSession(id, topics);
          if (!session || planningSnapshotExists(ws, id)) continue;
          if (readActivePlanningSession(ws)?.session_id === id) continue;
          writePlanningSnapshot(ws, session);
          done.add(id);
        }
        fixes.push({
          code: f.code,
          file: f.file,
          did: `rebuilt the snapshot of ${id} (archived) from the catalog`,
        });
      }
    } else if (kind === "add-spike") {
      for (const f of mine) {
        const plan = f.repair as Extract<RepairPlan, { kind: "add-spike" }>;
        if (addSpike(ws, plan, now))
          fixes.push({
            code: f.code,
            file: f.file,
            did: `listed ${plan.spike} in ${plan.session} again`,
          });
      }
    } else if (kind === "drop-source-line") {
      for (const file of new Set(mine.map((f) => f.file))) {
        const lines = mine
          .filter((m) => m.file === file)
          .map((m) => m.repair as Extract<RepairPlan, { kind: "drop-source-line" }>);
        const dropped = dropLines(ws, file, lines);
        for (const line of dropped)
          fixes.push({
            code: "LINK_DANGLING",
            file,
            did: `removed line ${line.line}: ${line.text}`,
          });
      }
    } else if (kind === "clear-active-spec") {
      writeActiveSpec(ws, null);
      for (const f of mine)
        fixes.push({ code: f.code, file: f.file, did: "cleared the active spec" });
    }
  }
  return fixes;
}

function addSpike(
  ws: Workspace,
  plan: Extract<RepairPlan, { kind: "add-spike" }>,
  now: string,
): boolean {
  const active = readActivePlanningSession(ws);
  if (active?.session_id === plan.session) {
    const next = attachSpike(active, plan.spike, now);
    if (next === active) return false;
    writeActivePlanningSession(ws, next);
    return true;
  }
  const snapshot = readPlanningSnapshot(ws, plan.session);
  if (!snapshot) return false;
  const next = attachSpike(snapshot, plan.spike, now);
  if (next === snapshot) return false;
  writePlanningSnapshot(ws, next);
  return true;
}

/** Drops the planned lines of one sources.md, each only if it still reads as planned. */
function dropLines(
  ws: Workspace,
  file: string,
  lines: Extract<RepairPlan, { kind: "drop-source-line" }>[],
): Extract<RepairPlan, { kind: "drop-source-line" }>[] {
  const path = repoPath(ws, file);
  const text = readText(ws, path);
  if (text === null) return [];
  const now = text.split("\n");
  const sure = lines.filter((l) => now[l.line - 1] === l.text);
  if (sure.length === 0) return [];
  writeText(ws, path, withoutLines(text, new Set(sure.map((l) => l.line))));
  return sure;
}
