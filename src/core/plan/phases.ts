import { cmd } from "../command-ref.ts";
import { BatonError, corruptFile } from "../errors.ts";
import { SCHEMA_VERSION } from "../schema.ts";
import type { PlanStructure } from "./structure.ts";

/** The plan workflow's four phases, in order. */
export const PHASES = ["structure", "context", "conflicts", "tasks"] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_STATES = ["pending", "in_progress", "completed", "skipped", "failed"] as const;
export type PhaseState = (typeof PHASE_STATES)[number];

export interface PhaseRecord {
  state: PhaseState;
  started: string | null;
  finished: string | null;
  /** The last failure, kept while the phase stays in progress. */
  error: { code: string; message: string } | null;
  /** Named sub-steps with their own state, e.g. context: scan, rank, risk. */
  steps: Record<string, PhaseState>;
  /** Why a phase was skipped when it was not judged unnecessary (`--skip-context`). */
  reason?: string;
}

/** `{knowledgeDir}/topics/<plan>/workflow.json`: where the plan workflow stands. */
export interface PlanWorkflow {
  schema_version: number;
  plan: string;
  /** Phase 1's GOAL / SCOPE / CONTEXT, kept so later phases can consolidate constraints. */
  intent: PlanStructure | null;
  phases: Record<Phase, PhaseRecord>;
}

export function newWorkflow(plan: string): PlanWorkflow {
  const phases = {} as Record<Phase, PhaseRecord>;
  for (const phase of PHASES) {
    phases[phase] = { state: "pending", started: null, finished: null, error: null, steps: {} };
  }
  return { schema_version: SCHEMA_VERSION, plan, intent: null, phases };
}

/** A phase later phases may build on: done, or judged unnecessary. */
export function isSettled(record: Pick<PhaseRecord, "state">): boolean {
  return record.state === "completed" || record.state === "skipped";
}

/**
 * Phases run in order: a phase may start only when every earlier one is completed or skipped.
 * A failed phase stays in_progress with its error recorded, so nothing proceeds past it.
 */
export function assertCanStart(workflow: PlanWorkflow, phase: Phase): void {
  assertEarlierPhases(workflow, phase, "start", isSettled);
}

/**
 * A phase that proceeds without its predecessors (the agent chose to skip the scan) may leave
 * them pending, but never runs past one that failed or still waits for the agent's input.
 */
export function assertNotBlocked(workflow: PlanWorkflow, phase: Phase): void {
  assertEarlierPhases(
    workflow,
    phase,
    "proceed",
    (r) => r.state !== "in_progress" && r.state !== "failed",
  );
}

function assertEarlierPhases(
  workflow: PlanWorkflow,
  phase: Phase,
  verb: string,
  allows: (record: PhaseRecord) => boolean,
): void {
  for (const earlier of PHASES.slice(0, PHASES.indexOf(phase))) {
    const record = workflow.phases[earlier];
    if (!allows(record)) {
      throw new BatonError(
        "STATE_CONFLICT",
        `phase ${phase} of ${workflow.plan} cannot ${verb}: phase ${earlier} is ${record.state}${record.error ? ` (${record.error.message})` : ""}`,
        `finish ${earlier} first (see: ${cmd("plan status", { plan_id: workflow.plan })})`,
      );
    }
  }
}

export function startPhase(workflow: PlanWorkflow, phase: Phase, now: string): PlanWorkflow {
  assertCanStart(workflow, phase);
  const record = workflow.phases[phase];
  return withPhase(workflow, phase, {
    ...record,
    state: "in_progress",
    started: record.started ?? now,
    error: null,
  });
}

export function finishPhase(
  workflow: PlanWorkflow,
  phase: Phase,
  state: Extract<PhaseState, "completed" | "skipped">,
  now: string,
  steps: Record<string, PhaseState> = {},
  reason?: string,
): PlanWorkflow {
  const { reason: _old, ...record } = workflow.phases[phase];
  return withPhase(workflow, phase, {
    ...record,
    state,
    started: record.started ?? now,
    finished: now,
    error: null,
    steps: { ...record.steps, ...steps },
    ...(reason === undefined ? {} : { reason }),
  });
}

/** The phases before `phase` that never ran: the agent must run or knowingly skip them. */
export function pendingBefore(workflow: PlanWorkflow, phase: Phase): Phase[] {
  return PHASES.slice(0, PHASES.indexOf(phase)).filter(
    (p) => workflow.phases[p].state === "pending",
  );
}

/** Records a failure: the phase stays in_progress with the error, and nothing after it may start. */
export function failPhase(
  workflow: PlanWorkflow,
  phase: Phase,
  error: { code: string; message: string },
  now: string,
): PlanWorkflow {
  const record = workflow.phases[phase];
  return withPhase(workflow, phase, {
    ...record,
    state: "in_progress",
    started: record.started ?? now,
    error,
  });
}

function withPhase(workflow: PlanWorkflow, phase: Phase, record: PhaseRecord): PlanWorkflow {
  return { ...workflow, phases: { ...workflow.phases, [phase]: record } };
}

export function parseWorkflow(data: Record<string, unknown>, file: string): PlanWorkflow {
  const phases = data.phases as Record<string, Partial<PhaseRecord>> | undefined;
  if (typeof data.plan !== "string" || !phases || typeof phases !== "object") {
    throw corruptFile(file, "plan or phases missing", "restore the file from git");
  }
  const out = newWorkflow(data.plan);
  out.intent = parseIntent(data.intent);
  for (const phase of PHASES) {
    const record = phases[phase];
    if (!record) continue;
    if (!PHASE_STATES.includes(record.state as PhaseState)) {
      throw corruptFile(
        file,
        `phase ${phase} has state ${String(record.state)}`,
        "restore the file from git",
      );
    }
    out.phases[phase] = {
      state: record.state as PhaseState,
      started: typeof record.started === "string" ? record.started : null,
      finished: typeof record.finished === "string" ? record.finished : null,
      error:
        record.error && typeof record.error === "object"
          ? (record.error as PhaseRecord["error"])
          : null,
      steps:
        record.steps && typeof record.steps === "object"
          ? (record.steps as Record<string, PhaseState>)
          : {},
      ...(typeof record.reason === "string" ? { reason: record.reason } : {}),
    };
  }
  return out;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function parseIntent(value: unknown): PlanStructure | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (typeof v.goal !== "string") return null;
  const scope = (v.scope ?? {}) as Record<string, unknown>;
  const source = v.source === "title" || v.source === "requirements" ? v.source : "text";
  return {
    goal: v.goal,
    scope: { in: strings(scope.in), out: strings(scope.out) },
    context: typeof v.context === "string" ? v.context : "",
    source,
  };
}
