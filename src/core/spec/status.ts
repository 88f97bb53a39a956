import { cmd } from "../command-ref.ts";
import { BatonError, corruptFile } from "../errors.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../schema.ts";
import { type ItemSource, readItemSource, sourceFields } from "../source.ts";

/**
 * A spec's life: written (draft), reviewed by a person (in_review), approved, built
 * (implementing), done; or sent back (changes_requested) or turned down (rejected).
 */
export const STAGES = [
  "draft",
  "in_review",
  "changes_requested",
  "rejected",
  "approved",
  "implementing",
  "done",
] as const;
export type Stage = (typeof STAGES)[number];

export type ApprovalAction =
  | "submit"
  | "approve"
  | "reject"
  | "request_changes"
  | "start"
  | "force_start"
  | "complete"
  | "reopen";

/** A rule of the gate that a person chose to set aside for one step (`--force`, `--self`). */
export interface GateOverride {
  /**
   * submit with lint errors; approve one's own submission; complete with required tasks open, or
   * with work sessions still live.
   */
  kind: "lint_errors" | "self_approval" | "open_tasks" | "live_sessions";
  /** What was set aside, e.g. "3 lint errors" or "2 required tasks open: 1.2, 4". */
  detail: string;
}

/** One entry of the approval history; the history only grows. */
export interface ApprovalRecord {
  action: ApprovalAction;
  from: Stage;
  to: Stage;
  by: string;
  at: string;
  comment: string | null;
  /** sha256 of the spec documents when the action was taken. */
  content_hash: string | null;
  /** Present when the step was taken although a rule said no. */
  override?: GateOverride;
}

/** `{planning.dir}/{name}/status.yaml`. */
export interface SpecStatus {
  schema_version: number;
  name: string;
  /** The spec file or folder, relative to the workspace root. */
  spec: string;
  /** A hint only: the branch the spec was last worked on. Agents judge branches, Baton records. */
  last_known_branch: string | null;
  stage: Stage;
  created: string;
  updated: string;
  /** Hash of the documents at approval; a later mismatch sends the spec back to review. */
  approved_hash: string | null;
  history: ApprovalRecord[];
  /** The tool's spec folder `baton import` set this spec up from; absent otherwise. */
  source?: ItemSource;
}

const TRANSITIONS: Record<ApprovalAction, { from: readonly Stage[]; to: Stage }> = {
  submit: { from: ["draft", "changes_requested", "rejected"], to: "in_review" },
  approve: { from: ["in_review"], to: "approved" },
  reject: { from: ["in_review"], to: "rejected" },
  request_changes: { from: ["in_review"], to: "changes_requested" },
  start: { from: ["approved"], to: "implementing" },
  force_start: {
    from: ["draft", "in_review", "changes_requested", "rejected"],
    to: "implementing",
  },
  complete: { from: ["implementing"], to: "done" },
  reopen: { from: ["approved"], to: "in_review" },
};

const SPEC_NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

/** The planning folder name for a spec name: lower-case, safe characters only. */
export function specFolderName(name: string): string {
  const folded = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  if (!SPEC_NAME.test(folded) || folded.includes("..")) {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(name.slice(0, 80))} cannot name a spec folder`,
      "use letters, digits, dashes, dots or underscores, e.g. user-auth",
    );
  }
  return folded;
}

export function assertSpecName(name: string): string {
  if (!SPEC_NAME.test(name) || name.includes("..")) {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(name.slice(0, 80))} is not a valid spec name`,
      `spec names look like user-auth (see: ${cmd("spec list")})`,
    );
  }
  return name;
}

export function newSpecStatus(name: string, spec: string, stage: Stage, now: string): SpecStatus {
  return {
    schema_version: SCHEMA_VERSION,
    name,
    spec,
    last_known_branch: null,
    stage,
    created: now,
    updated: now,
    approved_hash: null,
    history: [],
  };
}

/** Applies an approval-gate action, or explains which actions the current stage allows. */
export function transition(
  status: SpecStatus,
  action: ApprovalAction,
  record: {
    by: string;
    at: string;
    comment: string | null;
    content_hash: string | null;
    override?: GateOverride | undefined;
  },
): SpecStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status.stage)) {
    const allowed = allowedActions(status.stage);
    throw new BatonError(
      "STATE_CONFLICT",
      `spec ${status.name} is ${status.stage}; ${action.replace("_", "-")} needs ${rule.from.join(" or ")}`,
      allowed.length > 0
        ? `from ${status.stage} you can: ${allowed.map((a) => a.replace("_", "-")).join(", ")}`
        : `${status.stage} is final`,
    );
  }
  const { override, ...rest } = record;
  const entry: ApprovalRecord = {
    action,
    from: status.stage,
    to: rule.to,
    ...rest,
    ...(override ? { override } : {}),
  };
  return {
    ...status,
    stage: rule.to,
    updated: record.at,
    approved_hash: action === "approve" ? record.content_hash : status.approved_hash,
    history: [...status.history, entry],
  };
}

export function allowedActions(stage: Stage): ApprovalAction[] {
  return (Object.keys(TRANSITIONS) as ApprovalAction[]).filter(
    (action) => action !== "reopen" && TRANSITIONS[action].from.includes(stage),
  );
}

/**
 * An approved spec whose documents no longer hash to what was approved goes back to review:
 * approval covers the text that was read, not whatever it became.
 */
export function reopenIfChanged(status: SpecStatus, currentHash: string, now: string): SpecStatus {
  if (status.stage !== "approved" || status.approved_hash === null) return status;
  if (status.approved_hash === currentHash) return status;
  return transition(status, "reopen", {
    by: "baton",
    at: now,
    comment: "documents changed after approval",
    content_hash: currentHash,
  });
}

/** Validates a parsed status.yaml. */
export function parseSpecStatus(data: unknown, file: string): SpecStatus {
  const record = checkSchemaVersion(data, file);
  const bad = (field: string): never => {
    throw corruptFile(
      file,
      `field ${field} is missing or malformed`,
      "fix the field or restore the file from git",
    );
  };
  const str = (key: string): string => {
    const value = record[key];
    if (typeof value === "string") return value;
    if (value instanceof Date) return value.toISOString();
    return bad(key);
  };
  const name = str("name");
  if (!SPEC_NAME.test(name)) bad("name");
  const stage = str("stage") as Stage;
  if (!STAGES.includes(stage)) bad("stage");
  const branch = record.last_known_branch;
  if (branch !== null && branch !== undefined && typeof branch !== "string")
    bad("last_known_branch");
  const hash = record.approved_hash;
  if (hash !== null && hash !== undefined && typeof hash !== "string") bad("approved_hash");
  const history = record.history ?? [];
  if (!Array.isArray(history)) bad("history");
  const source = readItemSource(record.source);
  if (source === undefined) bad("source");
  return {
    schema_version: record.schema_version as number,
    name,
    spec: str("spec"),
    last_known_branch: (branch as string | null | undefined) ?? null,
    stage,
    created: str("created"),
    updated: str("updated"),
    approved_hash: (hash as string | null | undefined) ?? null,
    history: history as ApprovalRecord[],
    ...(source ? { source } : {}),
  };
}

/**
 * A status.yaml of the layout before planning folders were named after specs: a folder per git
 * branch holding `name`, `spec` and `branch` (a hard link to the branch), and no schema_version.
 */
export function isLegacyStatus(data: unknown): data is Record<string, unknown> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  return (
    !("schema_version" in record) &&
    typeof record.name === "string" &&
    typeof record.spec === "string"
  );
}

/** The fields of a legacy status.yaml that carry over; others are reported as dropped. */
const LEGACY_FIELDS = [
  "name",
  "spec",
  "branch",
  "last_known_branch",
  "stage",
  "created",
  "updated",
];

/**
 * A legacy status.yaml in today's model, named `name` (its folded name): `branch` becomes the
 * `last_known_branch` hint, a missing or unknown stage is draft, missing times are `now`.
 */
export function upgradeLegacyStatus(
  record: Record<string, unknown>,
  name: string,
  now: string,
): { status: SpecStatus; dropped: string[] } {
  const text = (value: unknown): string | null =>
    typeof value === "string" && value.trim() !== ""
      ? value
      : value instanceof Date
        ? value.toISOString()
        : null;
  const stage = STAGES.find((s) => s === record.stage) ?? "draft";
  const status: SpecStatus = {
    ...newSpecStatus(name, String(record.spec), stage, text(record.created) ?? now),
    last_known_branch: text(record.last_known_branch) ?? text(record.branch),
    updated: now,
  };
  const dropped = Object.keys(record).filter((key) => !LEGACY_FIELDS.includes(key));
  return { status, dropped };
}

/**
 * status.yaml as people read it: flat fields, then the history as one JSON-style flow mapping
 * per line (valid YAML, and a diff shows one line per decision).
 */
export function renderSpecStatus(status: SpecStatus): string {
  const q = (value: string | null) => (value === null ? "null" : JSON.stringify(value));
  const lines = [
    `schema_version: ${status.schema_version}`,
    `name: ${q(status.name)}`,
    `spec: ${q(status.spec)}`,
    `last_known_branch: ${q(status.last_known_branch)}`,
    `stage: ${status.stage}`,
    `created: ${q(status.created)}`,
    `updated: ${q(status.updated)}`,
    `approved_hash: ${q(status.approved_hash)}`,
  ];
  if (status.source) {
    lines.push("source:");
    for (const [key, value] of Object.entries(sourceFields(status.source)))
      lines.push(`  ${key}: ${q(value)}`);
  }
  if (status.history.length === 0) {
    lines.push("history: []");
  } else {
    lines.push("history:");
    for (const entry of status.history) lines.push(`  - ${JSON.stringify(entry)}`);
  }
  return `${lines.join("\n")}\n`;
}
