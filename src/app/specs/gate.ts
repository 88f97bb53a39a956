/**
 * The approval gate, the mechanism of `spec submit|approve|reject|request-changes|start|complete`
 * (one operation each, in the files named after them): the stage machine's step, the rules it
 * adds, and what every step records.
 */

import { cmd } from "../../core/command-ref.ts";
import { leaseTtlMs } from "../../core/config.ts";
import { BatonError } from "../../core/errors.ts";
import type { Field } from "../../core/fields.ts";
import {
  type ApprovalAction,
  allowedActions,
  assertSpecName,
  type GateOverride,
  type SpecStatus,
  type Stage,
  transition,
} from "../../core/spec/status.ts";
import { parseSpecTaskList, type TaskNode } from "../../core/spec/tasks-md.ts";
import { isLiveSession, livenessOf } from "../../core/work/liveness.ts";
import { recordEvent } from "../../store/events.ts";
import { readTextOrNull, workspaceReader } from "../../store/files.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { defaultActor, specDocumentsPath, writeSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { hasWorkSessions, listWorkSessions, processAlive } from "../../store/work.ts";
import { type AppContext, isoNow } from "../context.ts";
import type { ToolSurface } from "../operation.ts";
import { type CheckedSpec, checkSpec, recordReopen } from "./approval.ts";
import { lintDocs, locateDocs } from "./documents.ts";

/** The CLI verbs of the approval gate. */
export const GATE_VERBS = [
  "submit",
  "approve",
  "reject",
  "request-changes",
  "start",
  "complete",
] as const;
export type GateVerb = (typeof GATE_VERBS)[number];

export interface GateInput {
  name: string;
  by?: string | undefined;
  comment?: string | undefined;
  /**
   * `start`: begin implementation without approval (recorded as force_start); `submit`: send a
   * spec with lint errors for review; `complete`: finish with required tasks open. Recorded.
   */
  force?: boolean | undefined;
  /** `approve` only: approve a spec one submitted oneself; recorded as a self-approval. */
  self?: boolean | undefined;
}

/** The verbs that take `--force`, and `--self`. */
const FORCE_VERBS: readonly GateVerb[] = ["submit", "start", "complete"];

export interface GateResult {
  spec: string;
  action: ApprovalAction;
  from: Stage;
  to: Stage;
  stage: Stage;
  by: string;
  at: string;
  comment: string | null;
  content_hash: string;
  /** True when implementation began without approval. */
  forced: boolean;
  /** The rule set aside for this step (--force, --self), or null. */
  override: GateOverride | null;
  /** True when the documents had changed since approval and the spec went back to review first. */
  reopened: boolean;
  /** Entries in the approval history after this action. */
  history: number;
  /** The commands possible from the new stage, e.g. `baton spec start user-auth --force`. */
  next: string[];
}

const EVENT: Record<ApprovalAction, string> = {
  submit: "spec.submitted",
  approve: "spec.approved",
  reject: "spec.rejected",
  request_changes: "spec.changes_requested",
  start: "spec.started",
  force_start: "spec.force_started",
  complete: "spec.completed",
  reopen: "spec.reopened",
};

/** An action as the command a person types: `request_changes` → `request-changes`. */
export function verbOf(action: ApprovalAction): string {
  if (action === "force_start") return "start --force";
  return action.replace("_", "-");
}

/** The spec every gate verb takes. */
export const GATE_SPEC = {
  type: "string",
  min: 1,
  required: true,
  description: "the spec",
  cli: { positional: true },
} as const satisfies Field;

/** Who takes a step and why: every gate verb takes them. */
export const GATE_WHO = {
  by: {
    type: "string",
    description: "who takes the step (default: git config user.name, else the OS user)",
    apiDescription: "who takes the step (default: git user.name)",
    cli: { value: "<who>" },
  },
  comment: {
    type: "string",
    description: "why, recorded in the approval history",
    apiDescription: "why (recorded)",
    cli: { value: "<text>" },
  },
} as const satisfies Record<string, Field>;

const GATE_JSON =
  "With --json: {spec, action, from, to, stage, by, at, comment, content_hash, forced, override, reopened, history, next}; override is {kind, detail} when --force or --self set a rule aside, else null.";

/** A gate verb's description: its own sentences, then what every step records. */
export function gateDescription(own: string): string {
  return `${own} Who, when, the comment and the documents' content hash are appended to status.yaml's history (it only grows) and to the event log. An approved spec whose documents changed since approval is back in in_review before the step is checked. A refused step changes nothing. ${GATE_JSON}`;
}

/**
 * The steps a reviewer takes, not the author: an agent at work submits, starts and completes,
 * and is offered the others only when asked (`baton mcp --tools review`).
 */
const REVIEW_VERBS: readonly GateVerb[] = ["approve", "reject", "request-changes"];

/** A gate verb's tool. */
export function gateTool(verb: GateVerb): ToolSurface {
  return {
    description: `Approval gate: ${verb} a spec.`,
    ...(REVIEW_VERBS.includes(verb) ? { toolset: "review" } : {}),
  };
}

/**
 * `baton spec submit|approve|reject|request-changes|start|complete <name>`: one step of the
 * approval gate, recorded in status.yaml's history (who, when, comment, documents' hash) and in
 * the event log. A refused step changes nothing.
 */
export function applyGate(ctx: AppContext, verb: GateVerb, input: GateInput): Promise<GateResult> {
  const name = assertSpecName(input.name);
  const comment = cleanComment(input.comment);
  const givenBy = cleanActor(input.by);
  if (input.force && !FORCE_VERBS.includes(verb)) {
    throw new BatonError(
      "USAGE",
      "--force only applies to spec submit, start and complete",
      `${cmd("spec start", { name: "<name>", force: true })} (also submit and complete take --force)`,
    );
  }
  if (input.self && verb !== "approve") {
    throw new BatonError(
      "USAGE",
      "--self only applies to spec approve",
      cmd("spec approve", { name: "<name>", self: true }),
    );
  }
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const checked = checkSpec(ctx, name);
    const current = checked.status;
    const action = actionFor(verb, current.stage, input.force === true);
    if (!allowedActions(current.stage).includes(action)) refuse(current, action, checked.reopened);
    const at = isoNow(ctx);
    const by = givenBy ?? defaultActor(ws);
    const override = gateRules(ctx, verb, current, checked, by, input);
    const next = transition(current, action, {
      by,
      at,
      comment,
      content_hash: checked.hash,
      override: override ?? undefined,
    });
    writeSpecStatus(ws, next);
    if (checked.reopened) recordReopen(ctx, checked);
    recordEvent(ws, EVENT[action], at, {
      spec: name,
      from: current.stage,
      to: next.stage,
      by,
      ...(comment === null ? {} : { comment }),
      content_hash: checked.hash,
      ...(override ? { override } : {}),
    });
    if (action === "force_start") {
      ctx.notice(
        `Spec ${name} started without approval (was ${current.stage}); recorded as force_start`,
      );
    }
    if (override) ctx.notice(`Spec ${name}: ${verb} despite ${override.detail}; recorded`);
    return {
      spec: name,
      action,
      from: current.stage,
      to: next.stage,
      stage: next.stage,
      by,
      at,
      comment,
      content_hash: checked.hash,
      forced: action === "force_start",
      override,
      reopened: checked.reopened,
      history: next.history.length,
      next: allowedActions(next.stage).map((a) => commandFor(a, name)),
    };
  });
}

function actionFor(verb: GateVerb, stage: Stage, force: boolean): ApprovalAction {
  switch (verb) {
    case "request-changes":
      return "request_changes";
    case "start":
      // --force on an approved spec is a plain start: nothing is being skipped.
      return force && stage !== "approved" ? "force_start" : "start";
    default:
      return verb;
  }
}

/** Names the stage, what the step needs, and the commands that are possible from here. */
function refuse(status: SpecStatus, action: ApprovalAction, reopened: boolean): never {
  const name = status.name;
  const allowed = allowedActions(status.stage);
  const why = reopened ? " (its documents changed after approval)" : "";
  const needs =
    action === "start"
      ? "approved"
      : action === "force_start"
        ? "draft, in_review, changes_requested or rejected"
        : stagesAllowing(action).join(" or ");
  throw new BatonError(
    "STATE_CONFLICT",
    `spec ${name} is ${status.stage}${why}; ${verbOf(action)} needs ${needs}`,
    allowed.length > 0
      ? `from ${status.stage} you can run: ${allowed.map((a) => refFor(a, name)).join(", ")}`
      : `${status.stage} is final; start a new spec for more work (${cmd("spec new", { name: "<name>" })})`,
  );
}

/** The step `action` as a command reference, for a hint. */
function refFor(action: ApprovalAction, name: string): string {
  return action === "force_start"
    ? cmd("spec start", { name, force: true })
    : cmd(`spec ${verbOf(action)}`, { name });
}

/** The step `action` as a command line, for the `next` a result lists. */
function commandFor(action: ApprovalAction, name: string): string {
  return action === "force_start"
    ? `baton spec start ${name} --force`
    : `baton spec ${verbOf(action)} ${name}`;
}

function stagesAllowing(action: ApprovalAction): Stage[] {
  const stages: Stage[] = [
    "draft",
    "in_review",
    "changes_requested",
    "rejected",
    "approved",
    "implementing",
    "done",
  ];
  return stages.filter((stage) => allowedActions(stage).includes(action));
}

function cleanComment(comment: string | undefined): string | null {
  if (comment === undefined) return null;
  const trimmed = comment.trim();
  return trimmed === "" ? null : trimmed;
}

function cleanActor(by: string | undefined): string | null {
  if (by === undefined) return null;
  const trimmed = by.trim();
  if (trimmed === "" || /[\r\n]/.test(trimmed) || trimmed.length > 200) {
    throw new BatonError(
      "INVALID_INPUT",
      "--by needs a name on one line",
      'pass who did it, e.g. --by "Ada Lovelace"',
    );
  }
  return trimmed;
}

/**
 * The rules a step must pass besides the stage machine: submit needs a spec that lints without
 * errors, approve needs a reviewer other than the submitter, complete needs every required task
 * done. Each refusal says how to set it aside (`--force`, `--self`); a step taken so returns the
 * override to record, otherwise null. Read under the caller's lock; nothing is written here.
 */
function gateRules(
  ctx: AppContext,
  verb: GateVerb,
  status: SpecStatus,
  checked: CheckedSpec,
  by: string,
  input: GateInput,
): GateOverride | null {
  const { ws } = ctx;
  const name = status.name;
  if (verb === "submit") {
    const target = specDocumentsPath(ws, status);
    const lint = lintDocs({
      spec: name,
      stage: status.stage,
      reopened: checked.reopened,
      ...locateDocs(target, (abs) => ws.rel(abs), workspaceReader(ws)),
    });
    if (lint.errors === 0) return null;
    const detail = `${lint.errors} lint error${lint.errors === 1 ? "" : "s"}`;
    if (input.force) return { kind: "lint_errors", detail };
    const first = lint.findings.find((f) => f.severity === "error");
    throw new BatonError(
      "LINT_FAILED",
      `spec ${name} has ${detail}${first ? ` (first: ${first.file}:${first.line} ${first.code})` : ""}; a spec goes to review only when it lints clean`,
      `fix them (${cmd("spec lint", { name })} lists each with a hint), or submit anyway with: ${cmd("spec submit", { name, force: true })} (recorded)`,
    );
  }
  if (verb === "approve") {
    const submitted = [...status.history].reverse().find((h) => h.action === "submit");
    if (!submitted || sameActor(submitted.by) !== sameActor(by)) return null;
    if (input.self) return { kind: "self_approval", detail: `approving the submission of ${by}` };
    throw new BatonError(
      "STATE_CONFLICT",
      `spec ${name} was submitted by ${submitted.by}, who cannot also approve it`,
      `ask someone else to review it (${cmd("spec approve", { name, by: "<reviewer>" })}), or approve your own submission with: ${cmd("spec approve", { name, self: true })} (recorded)`,
    );
  }
  if (verb === "complete") {
    const tasksFile = specTasksFile(ws, status);
    const text = tasksFile === null ? null : readTextOrNull(ws, tasksFile);
    const open = text === null ? [] : openRequiredTasks(parseSpecTaskList(text).tasks);
    const live = liveSessions(ctx, name);
    if (open.length === 0 && live.length === 0) return null;
    const shown =
      open.slice(0, 5).join(", ") + (open.length > 5 ? ` and ${open.length - 5} more` : "");
    const tasks =
      open.length > 0
        ? `${open.length} required task${open.length === 1 ? "" : "s"} open: ${shown}`
        : null;
    const sessions =
      live.length > 0
        ? `${live.length} live work session${live.length === 1 ? "" : "s"}: ${live
            .slice(0, 5)
            .map((s) => `${s.id} (${s.liveness})`)
            .join(", ")}${live.length > 5 ? ` and ${live.length - 5} more` : ""}`
        : null;
    const detail = [tasks, sessions].filter((d) => d !== null).join("; ");
    if (input.force) return { kind: tasks ? "open_tasks" : "live_sessions", detail };
    const where = tasksFile && tasks ? ` (${ws.rel(tasksFile)})` : "";
    throw new BatonError(
      "STATE_CONFLICT",
      `spec ${name} has ${detail}${where}`,
      tasks
        ? `finish them and tick them in ${ws.rel(tasksFile as string)}, mark ones that may be skipped optional with *, or complete anyway with: ${cmd("spec complete", { name, force: true })} (recorded)`
        : `end them (${cmd("work end", { session: "<ws>", state: "<done|failed|cancelled>" })}), or complete anyway with: ${cmd("spec complete", { name, force: true })} (recorded)`,
    );
  }
  return null;
}

/** The spec's work sessions that are under way and heard from (working, idle, waiting). */
function liveSessions(ctx: AppContext, name: string): { id: string; liveness: string }[] {
  const { ws } = ctx;
  if (!hasWorkSessions(ws, name)) return [];
  const nowMs = ctx.now().getTime();
  const ttlMs = leaseTtlMs(ws.config);
  return listWorkSessions(ws, name).flatMap((s) => {
    const liveness = livenessOf(s, { nowMs, ttlMs, processAlive: processAlive(s.process) });
    return isLiveSession(liveness) ? [{ id: s.id, liveness }] : [];
  });
}

/** People are the same whatever the case or spacing of their name. */
function sameActor(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Ids of the required (not optional) tasks that are not done, in document order. */
function openRequiredTasks(nodes: readonly TaskNode[]): string[] {
  return nodes.flatMap((node) => [
    ...(node.optional || node.status === "done" ? [] : [node.id]),
    ...openRequiredTasks(node.children),
  ]);
}
