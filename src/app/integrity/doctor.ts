/**
 * `baton doctor [--fix]`: what a merge, an editor or a crash can leave in Baton's files, found
 * by reading every one of them as the commands do (src/app/integrity/checks.ts) and, with
 * `--fix`, repaired where nothing can be lost, in one transaction. Without `--fix` it only reads
 * and takes no lock.
 */
import { cmd } from "../../core/command-ref.ts";
import type { DoctorFinding, DoctorFix, PlannedFinding } from "../../core/doctor.ts";
import { recordEvent } from "../../store/events.ts";
import { stateLogs } from "../../store/integrity.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { runChecks } from "./checks.ts";
import { makeRepairs } from "./repair.ts";

export interface DoctorResult {
  /** No errors remain (warnings may). */
  ok: boolean;
  errors: number;
  warnings: number;
  /** How many of the findings `--fix` repairs. */
  fixable: number;
  /** Errors first, then warnings, each in the order the checks found them. */
  findings: DoctorFinding[];
  /** What `--fix` did (empty without it). */
  fixed: DoctorFix[];
  error?: { code: "INTEGRITY_ERRORS"; message: string; hint: string };
}

function resultOf(findings: PlannedFinding[], fixed: DoctorFix[]): DoctorResult {
  const shown: DoctorFinding[] = findings.map(({ repair: _repair, ...f }) => f);
  const ordered = [
    ...shown.filter((f) => f.severity === "error"),
    ...shown.filter((f) => f.severity !== "error"),
  ];
  const errors = shown.filter((f) => f.severity === "error").length;
  const fixable = shown.filter((f) => f.fixable).length;
  const result: DoctorResult = {
    ok: errors === 0,
    errors,
    warnings: shown.length - errors,
    fixable,
    findings: ordered,
    fixed,
  };
  if (errors > 0) {
    result.error = {
      code: "INTEGRITY_ERRORS",
      message: `the workspace's files hold ${errors} error${errors === 1 ? "" : "s"}`,
      hint:
        fixable > 0
          ? `${cmd("doctor --fix")} repairs the ${fixable} marked fixable; each other finding names its file, line and what to do`
          : "each finding names its file, line and what to do",
    };
  }
  return result;
}

/** A finding's identity across two runs of the checks. */
const keyOf = (f: PlannedFinding) => `${f.code}\u0000${f.file}\u0000${f.line ?? ""}`;

const failure = (r: DoctorResult) => (r.ok ? null : "INTEGRITY_ERRORS");

export const doctorOperation = defineOperation({
  name: "doctor",
  summary: "check Baton's files after a merge, an edit or a crash; exit 5 on errors",
  description:
    'Reads every file Baton keeps the way its commands read them (catalog and its log, planning sessions, topics and their sources.md, plan files, tickets, spec status files, the journal, the event log) and checks the links between them: ids malformed or listed twice, torn or repeated log lines, conflict markers, files that do not parse or are from a newer Baton, catalog entries without folders and folders without entries, sessions, tickets and links naming what is not there. Each finding has code, severity (error or warning), file, line when known, message, hint and fixable. Exit 0 when there are no errors (warnings allowed); exit 5 with error code INTEGRITY_ERRORS when there are. Only reads, and takes no lock. With --json: {ok, errors, warnings, fixable, findings: [{code, severity, file, line, message, hint, fixable}], fixed: []}, plus "error" when ok is false.',
  examples: ["baton doctor", "baton doctor --json"],
  access: "read",
  input: {},
  cli: { failure },
  tool: {
    description:
      "Check Baton's files for what merges, edits and crashes leave; findings with file, line, hint and whether doctor_fix repairs them.",
    pageLists: ["findings"],
  },
  run(env): DoctorResult {
    const { ws } = env.context();
    return resultOf(runChecks(ws, env.now().toISOString()).findings, []);
  },
});

export const doctorFixOperation = defineOperation({
  name: "doctor --fix",
  summary: "repair what doctor finds where nothing can be lost, and report the rest",
  description:
    "Under the workspace lock, in one transaction: finishes or undoes an interrupted command, cuts a torn last log line, keeps once the log lines a merge left twice, folds index.json entries listed twice, adds topic folders back to the catalog, lists again a spike its session lost, removes sources.md lines Baton wrote whose target is gone, clears an active spec pointer naming no spec. Nothing a person wrote is changed. Says what it did under fixed, then reports what is left as doctor does (exit 5 while errors remain).",
  examples: ["baton doctor --fix", "baton doctor --fix --json"],
  access: "write",
  input: {},
  cli: { path: ["doctor"], mode: "fix", failure },
  tool: {
    name: "doctor_fix",
    description:
      "Repair what doctor finds where nothing can be lost (torn and repeated log lines, uncatalogued topics, lost session links…); says what it did and what is left.",
    pageLists: ["findings", "fixed"],
  },
  async run(env): Promise<DoctorResult> {
    const ctx = env.context();
    const { ws } = ctx;
    // Read first, without the lock: taking it runs the repair after a crash, which may mend
    // some findings before the fix sees them, and those are said to be fixed too.
    const before = runChecks(ws, isoNow(ctx)).findings;
    const fixed = await withWorkspaceLock(ws, () => {
      const now = isoNow(ctx);
      const scan = runChecks(ws, now);
      const made = makeRepairs(ws, scan.findings, now);
      const left = new Set(scan.findings.map(keyOf));
      const fixes: DoctorFix[] = [
        ...before
          .filter((f) => f.fixable && !left.has(keyOf(f)))
          .map((f) => ({
            code: f.code,
            file: f.file,
            did:
              f.code === "INTERRUPTED_WRITE"
                ? "undid (or, had it committed, finished) the killed command's change"
                : "mended by the repair that follows a killed command, run on taking the lock",
          })),
        ...made,
      ];
      // The fix is recorded, unless the event log itself refuses new events.
      const events = stateLogs(ws).find((l) => l.kind === "events")?.shown;
      const eventsBad = scan.findings.some(
        (f) => f.file === events && f.severity === "error" && !f.fixable,
      );
      if (fixes.length > 0 && !eventsBad)
        recordEvent(ws, "doctor.fixed", now, { fixes: [...new Set(fixes.map((f) => f.code))] });
      return fixes;
    });
    return resultOf(runChecks(ws, isoNow(ctx)).findings, fixed);
  },
});
