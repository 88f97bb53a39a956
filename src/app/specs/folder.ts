/**
 * A spec's planning folder, `{planning.dir}/{name}/status.yaml`, as several verbs need it: the
 * spec a name or the active pointer means, the summary list and status show, and the active spec
 * a newly made spec becomes when there is none.
 */

import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { normalizeRel } from "../../core/rel-path.ts";
import { assertSpecName, type SpecStatus, type Stage } from "../../core/spec/status.ts";
import { recordEvent } from "../../store/events.ts";
import { planningPath, readActiveRaw } from "../../store/spec-folders.ts";
import {
  readActiveSpec,
  readSpecStatus,
  requireSpecStatus,
  writeActiveSpec,
} from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";

/** One spec as list and status show it. */
export interface SpecSummary {
  name: string;
  /** The spec file or folder, relative to the workspace root. */
  spec: string;
  stage: Stage;
  last_known_branch: string | null;
  active: boolean;
  /** The planning folder, relative to the workspace root. */
  folder: string;
  created: string;
  updated: string;
}

export function summary(ws: Workspace, status: SpecStatus, active: string | null): SpecSummary {
  return {
    name: status.name,
    spec: status.spec,
    stage: status.stage,
    last_known_branch: status.last_known_branch,
    active: status.name === active,
    folder: ws.rel(planningPath(ws, status.name)),
    created: status.created,
    updated: status.updated,
  };
}

/** The active spec, or null when none is set or `.active` holds something that is not a name. */
export function activeOrNull(ws: Workspace): string | null {
  try {
    return readActiveSpec(ws);
  } catch {
    return null;
  }
}

/**
 * A spec by name, refusing one whose folder is not named after it (a branch-named folder from
 * before `baton spec migrate`): writing it back would land in a different folder.
 */
export function loadSpec(ws: Workspace, name: string): SpecStatus {
  const status = requireSpecStatus(ws, assertSpecName(name));
  if (status.name !== name) {
    throw new BatonError(
      "STATE_CONFLICT",
      `folder ${ws.config.planning.dir}/${name} holds the spec ${status.name}, not ${name}`,
      `rename planning folders after their specs with: ${cmd("spec migrate")}`,
    );
  }
  return status;
}

/** `--spec <name>`, else the active spec. */
export function resolveName(ws: Workspace, given: string | undefined): string {
  if (given !== undefined) return assertSpecName(given);
  const raw = readActiveRaw(ws);
  if (raw === null) {
    throw new BatonError(
      "SPEC_NOT_FOUND",
      "no spec given and no active spec",
      `pass --spec <name>, or activate one: ${cmd("spec activate", { name: "<name>" })} (names: ${cmd("spec list")})`,
    );
  }
  const active = readActiveSpec(ws) as string;
  if (readSpecStatus(ws, active) === null) {
    throw new BatonError(
      "SPEC_NOT_FOUND",
      `the active spec ${active} no longer exists in ${ws.config.planning.dir}`,
      `activate another (${cmd("spec activate", { name: "<name>" })}) or clear it: ${cmd("spec deactivate")}`,
    );
  }
  return active;
}

/** Two spec paths as status.yaml records them, compared without slash or trailing-slash noise. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => normalizeRel(p.replaceAll("\\", "/")).replace(/\/+$/, "");
  return norm(a) === norm(b);
}

/**
 * Makes a spec that was just created the active one when no spec is: nothing active, or `.active`
 * naming no spec that exists. Called inside the creating command's lock; true when it activated.
 */
export function activateIfNone(ws: Workspace, name: string, now: string): boolean {
  const previous = readActiveRaw(ws);
  if (previous !== null && previous !== name) {
    let exists = false;
    try {
      exists = readSpecStatus(ws, assertSpecName(previous)) !== null;
    } catch (error) {
      // A stale pointer holding a bad name points nowhere; a spec that cannot be read exists.
      exists = error instanceof BatonError && error.code !== "INVALID_ID";
    }
    if (exists) return false;
  }
  if (previous === name) return false;
  writeActiveSpec(ws, name);
  recordEvent(ws, "spec.activated", now, { spec: name, previous, reason: "created" });
  return true;
}
