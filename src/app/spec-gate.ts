import path from "node:path";
import { BatonError } from "../core/errors.ts";
import {
  type ApprovalAction,
  allowedActions,
  assertSpecName,
  reopenIfChanged,
  type SpecStatus,
  type Stage,
  transition,
} from "../core/spec/status.ts";
import { parseTasksMarkdown, taskProgress } from "../core/spec/tasks-md.ts";
import { SPEC_FILES } from "../core/spec/templates.ts";
import { recordEvent } from "../store/events.ts";
import { pathKind, readTextOrNull } from "../store/files.ts";
import {
  defaultActor,
  requireSpecStatus,
  specContentHash,
  writeSpecStatus,
} from "../store/specs.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { type AppContext, isoNow } from "./context.ts";

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
  /** `start` only: begin implementation without approval; recorded as force_start. */
  force?: boolean | undefined;
}

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

export interface CheckedSpec {
  /** The status as it stands now: reopened in memory when its documents changed after approval. */
  status: SpecStatus;
  /** The status as read from disk. */
  stored: SpecStatus;
  hash: string;
  reopened: boolean;
}

/**
 * Reads a spec's status (inside the lock) and applies the approval rule: an approved spec whose
 * documents no longer hash to what was approved is back in review. Nothing is written here; the
 * caller saves the result with `saveReopen` (read commands) or with its own change.
 */
export function checkSpec(ctx: AppContext, name: string): CheckedSpec {
  const { ws } = ctx;
  const stored = requireSpecStatus(ws, assertSpecName(name));
  const hash = specContentHash(ws, stored);
  const status = reopenIfChanged(stored, hash, isoNow(ctx));
  return { status, stored, hash, reopened: status !== stored };
}

/** Saves a reopen found by `checkSpec`, with its event and a notice. */
export function saveReopen(ctx: AppContext, checked: CheckedSpec): void {
  if (!checked.reopened) return;
  writeSpecStatus(ctx.ws, checked.status);
  recordReopen(ctx, checked);
}

function recordReopen(ctx: AppContext, checked: CheckedSpec): void {
  const entry = checked.status.history.find(
    (h, i) => i >= checked.stored.history.length && h.action === "reopen",
  );
  recordEvent(ctx.ws, EVENT.reopen, entry?.at ?? isoNow(ctx), {
    spec: checked.status.name,
    from: "approved",
    to: "in_review",
    approved_hash: checked.stored.approved_hash,
    content_hash: checked.hash,
  });
  ctx.notice(
    `Spec ${checked.status.name} went back to in_review: its documents changed after approval (approve again: baton spec approve ${checked.status.name})`,
  );
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
  if (input.force && verb !== "start") {
    throw new BatonError(
      "USAGE",
      "--force only applies to spec start",
      "baton spec start <name> --force",
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
    const next = transition(current, action, { by, at, comment, content_hash: checked.hash });
    writeSpecStatus(ws, next);
    if (checked.reopened) recordReopen(ctx, checked);
    recordEvent(ws, EVENT[action], at, {
      spec: name,
      from: current.stage,
      to: next.stage,
      by,
      ...(comment === null ? {} : { comment }),
      content_hash: checked.hash,
    });
    if (action === "force_start") {
      ctx.notice(
        `Spec ${name} started without approval (was ${current.stage}); recorded as force_start`,
      );
    }
    if (action === "complete") noticeOpenTasks(ctx, ws, next);
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
      ? `from ${status.stage} you can run: ${allowed.map((a) => commandFor(a, name)).join(", ")}`
      : `${status.stage} is final; start a new spec for more work (baton spec new <name>)`,
  );
}

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

/** `complete` does not refuse open tasks (people finish specs early), but says so. */
function noticeOpenTasks(ctx: AppContext, ws: Workspace, status: SpecStatus): void {
  const folder = path.resolve(ws.root, status.spec);
  if (pathKind(ws, folder) !== "folder") return;
  const text = readTextOrNull(ws, path.join(folder, SPEC_FILES.tasks));
  if (text === null) return;
  const progress = taskProgress(parseTasksMarkdown(text).tasks);
  if (progress.percent < 100 && progress.total > 0) {
    ctx.notice(
      `Spec ${status.name} is done with ${progress.percent}% of its required tasks ticked in ${SPEC_FILES.tasks}`,
    );
  }
}
