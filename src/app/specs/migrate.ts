import { cmd } from "../../core/command-ref.ts";
import { BatonError, corruptFile } from "../../core/errors.ts";
import { type MigrationMove, planMigration } from "../../core/spec/folders.ts";
import { parseSpecStatus, type SpecStatus, upgradeLegacyStatus } from "../../core/spec/status.ts";
import { recordEvent } from "../../store/events.ts";
import {
  findStatusFolders,
  keepLegacyStatus,
  legacyCopyPath,
  movePlanningFolder,
  planningEntries,
  planningPath,
  readActiveRaw,
  readStatusForMigration,
  removeEmptyParents,
} from "../../store/spec-folders.ts";
import { specContentHash, writeActiveSpec, writeSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { samePath } from "./folder.ts";

export interface MigrateResult {
  dry_run: boolean;
  /** Folder moves (relative to the workspace root), in the order they run. */
  moves: {
    from: string;
    to: string;
    name: string;
    /** The name status.yaml wrote, when it is rewritten to the folded form. */
    written_name: string | null;
    /** The spec path, when it pointed inside the moved folder and is rewritten. */
    spec_path: { from: string; to: string } | null;
    /** status.yaml was of the legacy branch-folder layout and is upgraded (branch → hint). */
    legacy: boolean;
    /** Fields of the legacy status.yaml with no place in today's; its text is kept whole. */
    dropped_fields: string[];
    /** Where the legacy status.yaml's text is kept when fields were dropped, else null. */
    kept_original: string | null;
  }[];
  /** `.active` rewritten because it named a moved folder. */
  active: { from: string; to: string } | null;
  changed: boolean;
}

export const migrateOperation = defineOperation({
  name: "spec migrate",
  summary: "rename planning folders named after branches to their spec's name",
  description:
    "Moves each {planning.dir}/<folder>/ whose status.yaml names another spec to {planning.dir}/<name>/, updates a spec path inside the moved folder and .active if it named a moved folder. A status.yaml of the legacy layout ({planning.dir}/<branch>/status.yaml holding name, spec and branch, no schema_version) is upgraded on the way: branch becomes last_known_branch (a hint), with a stage (draft unless it named a valid one) and schema_version 1; fields with no place in the new file are listed and the old text is kept as status.legacy.yaml. Collisions are reported and nothing is moved; everything is checked before the first rename.",
  examples: ["baton spec migrate --dry-run", "baton spec migrate", "baton spec migrate --json"],
  access: "write",
  input: {
    dry_run: { type: "boolean", description: "list what would move, change nothing" },
  },
  tool: {
    description:
      "Rename planning folders named after branches to their spec's name; refuses collisions.",
  },
  run: (env, input) => migrateSpecs(env.context(), input.dry_run === true),
});

interface PreparedMove extends MigrationMove {
  /** The status to write after the move, or null when only the folder moves. */
  rewrite: SpecStatus | null;
  /** The legacy status.yaml's fields that do not carry over, and its text to keep. */
  dropped: string[];
  original: string | null;
  /** The approved hash was current before the move: recompute it after (paths are hashed). */
  keepApproval: boolean;
  specPath: { from: string; to: string } | null;
}

/**
 * `baton spec migrate [--dry-run]`: renames planning folders named after branches to the name
 * in their status.yaml, and upgrades status files of the legacy layout (`{planning}/{branch}/`
 * holding name, spec and branch, without schema_version) to today's: `branch` becomes the
 * `last_known_branch` hint, with a stage and schema_version. Everything is checked first (names,
 * collisions, status files); a refusal changes nothing, and a failed rename is rolled back.
 */
function migrateSpecs(ctx: AppContext, dryRun: boolean): Promise<MigrateResult> {
  const { ws } = ctx;
  return withWorkspaceLock(ws, () => {
    const now = isoNow(ctx);
    const sources = findStatusFolders(ws).map((folder) => {
      const { record, legacy } = readStatusForMigration(ws, folder);
      const name = record.name;
      if (typeof name !== "string") {
        throw corruptFile(
          `${ws.rel(planningPath(ws, folder))}/status.yaml`,
          "has no name",
          `add name: <spec-name> to it, then run ${cmd("spec migrate")} again; nothing was moved`,
        );
      }
      return { folder, name, legacy };
    });
    const plan = planMigration(sources, planningEntries(ws));
    if (plan.collisions.length > 0) {
      throw new BatonError(
        "STATE_CONFLICT",
        `cannot migrate: ${plan.collisions.join("; ")}`,
        `change the name in one spec's status.yaml (or move the folder in the way), then run ${cmd("spec migrate")} again; nothing was moved`,
      );
    }
    const prepared = plan.moves.map((move) => prepareMove(ws, move, now));
    const rawActive = readActiveRaw(ws);
    const activeMove = prepared.find((m) => m.from === rawActive && m.from !== m.to);
    const result: MigrateResult = {
      dry_run: dryRun,
      moves: prepared.map((m) => ({
        from: ws.rel(planningPath(ws, m.from)),
        to: ws.rel(planningPath(ws, m.to)),
        name: m.to,
        written_name: m.written_name,
        spec_path: m.specPath,
        legacy: m.legacy,
        dropped_fields: m.dropped,
        kept_original: m.original === null ? null : ws.rel(legacyCopyPath(ws, m.to)),
      })),
      active: activeMove && rawActive ? { from: rawActive, to: activeMove.to } : null,
      changed: false,
    };
    if (dryRun || prepared.length === 0) return result;

    const done: PreparedMove[] = [];
    try {
      for (const move of prepared) {
        if (move.from !== move.to) movePlanningFolder(ws, move.from, move.to);
        done.push(move);
      }
    } catch (error) {
      for (const move of done.reverse()) {
        try {
          if (move.from !== move.to) movePlanningFolder(ws, move.to, move.from);
        } catch {
          // Best effort: the error below names the first failure.
        }
      }
      throw error;
    }
    prepared.forEach((move, i) => {
      if (move.from.includes("/")) removeEmptyParents(ws, move.from);
      if (!move.rewrite) return;
      const shown = result.moves[i];
      if (move.original !== null && shown) {
        shown.kept_original = ws.rel(keepLegacyStatus(ws, move.to, move.original));
      }
      const next = { ...move.rewrite, updated: now };
      if (move.keepApproval) next.approved_hash = specContentHash(ws, next);
      writeSpecStatus(ws, next);
    });
    if (activeMove) writeActiveSpec(ws, activeMove.to);
    recordEvent(ws, "spec.migrated", now, {
      moves: result.moves.map((m) => ({ from: m.from, to: m.to, legacy: m.legacy })),
    });
    result.changed = true;
    return result;
  });
}

/** Reads what a move must rewrite: the folded name, a spec path inside the moved folder, a legacy file. */
function prepareMove(ws: Workspace, move: MigrationMove, now: string): PreparedMove {
  const fromRel = ws.rel(planningPath(ws, move.from));
  const toRel = ws.rel(planningPath(ws, move.to));
  const { record, legacy, text } = readStatusForMigration(ws, move.from);
  const spec = typeof record.spec === "string" ? record.spec : null;
  const inside = spec !== null && (samePath(spec, fromRel) || spec.startsWith(`${fromRel}/`));
  const specPath =
    inside && move.from !== move.to ? { from: spec, to: toRel + spec.slice(fromRel.length) } : null;
  if (legacy) {
    const { status, dropped } = upgradeLegacyStatus(record, move.to, now);
    // A field with no place in today's status.yaml is never lost: the old text is kept beside it.
    return {
      ...move,
      rewrite: specPath ? { ...status, spec: specPath.to } : status,
      keepApproval: false,
      specPath,
      dropped,
      original: dropped.length > 0 ? text : null,
    };
  }
  if (move.written_name === null && specPath === null) {
    return { ...move, rewrite: null, keepApproval: false, specPath, dropped: [], original: null };
  }
  // status.yaml itself changes: it must be a valid status once the name is folded.
  const status = parseSpecStatus({ ...record, name: move.to }, `${fromRel}/status.yaml`);
  const keepApproval =
    specPath !== null &&
    status.approved_hash !== null &&
    specContentHash(ws, status) === status.approved_hash;
  return {
    ...move,
    rewrite: specPath ? { ...status, spec: specPath.to } : status,
    keepApproval,
    specPath,
    dropped: [],
    original: null,
  };
}
