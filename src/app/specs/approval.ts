/**
 * Approval covers the documents that were read: an approved spec whose documents hash
 * differently now goes back to in_review, on whichever command reads it next.
 */
import { cmd } from "../../core/command-ref.ts";
import { assertSpecName, reopenIfChanged, type SpecStatus } from "../../core/spec/status.ts";
import { recordEvent } from "../../store/events.ts";
import { requireSpecStatus, specContentHash, writeSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { loadSpec } from "./folder.ts";

/**
 * The approval rule for a read (`spec status`, `spec list`): checked without the lock, written
 * under it, with a notice.
 */
export async function applyApprovalRule(
  ctx: AppContext,
  status: SpecStatus,
): Promise<{ status: SpecStatus; reopened: boolean }> {
  if (status.stage !== "approved" || status.approved_hash === null) {
    return { status, reopened: false };
  }
  if (specContentHash(ctx.ws, status) === status.approved_hash) return { status, reopened: false };
  return withWorkspaceLock(ctx.ws, () => {
    const fresh = loadSpec(ctx.ws, status.name);
    const now = isoNow(ctx);
    const next = reopenIfChanged(fresh, specContentHash(ctx.ws, fresh), now);
    if (next === fresh) return { status: fresh, reopened: false };
    writeSpecStatus(ctx.ws, next);
    recordEvent(ctx.ws, "spec.reopened", now, {
      spec: next.name,
      approved_hash: fresh.approved_hash,
      content_hash: next.history.at(-1)?.content_hash ?? null,
    });
    ctx.notice(
      `spec ${next.name} was approved, but its documents changed since: moved back to in_review (approve it again after review)`,
    );
    return { status: next, reopened: true };
  });
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

/** The event and notice of a reopen found by `checkSpec`, once its status is written. */
export function recordReopen(ctx: AppContext, checked: CheckedSpec): void {
  const entry = checked.status.history.find(
    (h, i) => i >= checked.stored.history.length && h.action === "reopen",
  );
  recordEvent(ctx.ws, "spec.reopened", entry?.at ?? isoNow(ctx), {
    spec: checked.status.name,
    from: "approved",
    to: "in_review",
    approved_hash: checked.stored.approved_hash,
    content_hash: checked.hash,
  });
  ctx.notice(
    `Spec ${checked.status.name} went back to in_review: its documents changed after approval (approve again: ${cmd("spec approve", { name: checked.status.name })})`,
  );
}
