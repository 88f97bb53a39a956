/**
 * Spec planning folders: `{planning.dir}/{name}/status.yaml`, the per-machine active spec, the
 * branch hint, and the git facts an agent needs to judge branches. Baton records what the agent
 * decided about branches; it never switches, creates or merges one.
 */
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import { parseFrontmatter } from "../core/frontmatter.ts";
import { branchNameProblem } from "../core/git.ts";
import {
  type DerivedName,
  type MigrationMove,
  planMigration,
  type SpecLayout,
  specLayout,
  specNameFrom,
} from "../core/spec/folders.ts";
import {
  assertSpecName,
  newSpecStatus,
  parseSpecStatus,
  reopenIfChanged,
  type SpecStatus,
  type Stage,
  upgradeLegacyStatus,
} from "../core/spec/status.ts";
import {
  parseTasksMarkdown,
  type TaskNode,
  type TaskProgress,
  taskProgress,
} from "../core/spec/tasks-md.ts";
import { recordEvent } from "../store/events.ts";
import { pathWithin, readTextOrNull } from "../store/files.ts";
import { type BranchFacts, openGit, type RepoFacts } from "../store/git.ts";
import {
  findStatusFolders,
  keepLegacyStatus,
  legacyCopyPath,
  movePlanningFolder,
  pathKind,
  planningEntries,
  planningPath,
  readActiveRaw,
  readStatusForMigration,
  readStatusRecord,
  removeEmptyParents,
  specTasksFile,
} from "../store/spec-folders.ts";
import {
  listSpecNames,
  readActiveSpec,
  readSpecStatus,
  requireSpecStatus,
  specContentHash,
  specStatusPath,
  writeActiveSpec,
  writeSpecStatus,
} from "../store/specs.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { batonPathTest, type Workspace } from "../store/workspace.ts";
import { fullYaml } from "../store/yaml.ts";
import { type AppContext, isoNow } from "./context.ts";

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

function summary(ws: Workspace, status: SpecStatus, active: string | null): SpecSummary {
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
function activeOrNull(ws: Workspace): string | null {
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
function loadSpec(ws: Workspace, name: string): SpecStatus {
  const status = requireSpecStatus(ws, assertSpecName(name));
  if (status.name !== name) {
    throw new BatonError(
      "STATE_CONFLICT",
      `folder ${ws.config.planning.dir}/${name} holds the spec ${status.name}, not ${name}`,
      "rename planning folders after their specs with: baton spec migrate",
    );
  }
  return status;
}

/** `--spec <name>`, else the active spec. */
function resolveName(ws: Workspace, given: string | undefined): string {
  if (given !== undefined) return assertSpecName(given);
  const raw = readActiveRaw(ws);
  if (raw === null) {
    throw new BatonError(
      "SPEC_NOT_FOUND",
      "no spec given and no active spec",
      "pass --spec <name>, or activate one: baton spec activate <name> (names: baton spec list)",
    );
  }
  const active = readActiveSpec(ws) as string;
  if (readSpecStatus(ws, active) === null) {
    throw new BatonError(
      "SPEC_NOT_FOUND",
      `the active spec ${active} no longer exists in ${ws.config.planning.dir}`,
      "activate another (baton spec activate <name>) or clear it: baton spec deactivate",
    );
  }
  return active;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => path.posix.normalize(p.replaceAll("\\", "/")).replace(/\/+$/, "");
  return norm(a) === norm(b);
}

// ---- setup ----

export interface SetupResult {
  name: string;
  /** The name as the spec wrote it, when folding it into a folder name changed it. */
  written_name: string | null;
  spec: string;
  layout: SpecLayout;
  folder: string;
  status_file: string;
  stage: Stage;
  /** False when the spec was already set up exactly so: nothing was written. */
  changed: boolean;
  /** True when it became the active spec because none was. */
  activated: boolean;
}

/**
 * `baton spec setup --spec <path>` (relative to `cwd`): status.yaml for a spec file (named by its
 * frontmatter `name`) or a spec folder (named after the folder). Re-running changes nothing.
 */
export function setupSpec(ctx: AppContext, cwd: string, specPath: string): Promise<SetupResult> {
  const { ws } = ctx;
  const absolute = path.resolve(cwd, specPath);
  const rel = pathWithin(ws.root, absolute);
  if (rel === null || rel === "") {
    throw new BatonError(
      "INVALID_INPUT",
      rel === ""
        ? "the workspace root itself is not a spec"
        : `${specPath} is outside the workspace ${ws.root}`,
      "pass a spec file or folder inside the repository, e.g. --spec .kiro/specs/user-auth",
    );
  }
  const kind = pathKind(ws, absolute);
  if (kind === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `no spec file or folder at ${rel}`,
      "pass an existing spec file (with frontmatter name) or folder, e.g. --spec specs/001-auth",
    );
  }
  const layout = specLayout(rel, kind === "folder");
  const derived =
    kind === "file" ? nameFromFile(ws, absolute, rel) : specNameFrom(path.basename(rel), rel);
  const name = derived.name;
  return withWorkspaceLock(ws, () => {
    const result = (status: SpecStatus, changed: boolean, activated = false): SetupResult => ({
      name,
      written_name: derived.written,
      spec: status.spec,
      layout,
      folder: ws.rel(planningPath(ws, name)),
      status_file: ws.rel(specStatusPath(ws, name)),
      stage: status.stage,
      changed,
      activated,
    });
    const existing = readSpecStatus(ws, name);
    if (existing) {
      if (samePath(existing.spec, rel)) return result(existing, false);
      throw new BatonError(
        "STATE_CONFLICT",
        `${rel} would be the spec ${name}${derived.written ? ` (from the name ${JSON.stringify(derived.written)})` : ""}, but ${ws.config.planning.dir}/${name} already belongs to ${existing.spec}`,
        "give one of the two specs a different name (frontmatter name, or rename its folder)",
      );
    }
    assertNotSetUpElsewhere(ws, rel, name);
    const now = isoNow(ctx);
    const status = newSpecStatus(name, rel, "draft", now);
    writeSpecStatus(ws, status);
    recordEvent(ws, "spec.setup", now, { spec: name, path: rel, layout });
    return result(status, true, activateIfNone(ws, name, now));
  });
}

function nameFromFile(ws: Workspace, absolute: string, rel: string): DerivedName {
  const text = readTextOrNull(ws, absolute) ?? "";
  const { data } = parseFrontmatter(text, rel, fullYaml);
  const written = data?.name;
  if (typeof written === "string" || typeof written === "number") {
    return specNameFrom(String(written), rel);
  }
  const base = path.posix.basename(rel).replace(/\.[^.]*$/, "");
  throw new BatonError(
    "INVALID_INPUT",
    `${rel} has no frontmatter name${written !== undefined && written !== null ? " (name must be text)" : ""}`,
    `start the file with three lines "---", "name: ${/^[a-z0-9][a-z0-9-]*$/.test(base) ? base : "user-auth"}", "---", or pass the spec's folder instead`,
  );
}

/** One spec document gets one planning folder: refuse setting it up again under a new name. */
function assertNotSetUpElsewhere(ws: Workspace, rel: string, name: string): void {
  for (const folder of findStatusFolders(ws)) {
    if (folder === name) continue;
    let record: Record<string, unknown>;
    try {
      record = readStatusRecord(ws, folder);
    } catch {
      continue; // an unreadable status.yaml cannot claim anything
    }
    if (typeof record.spec === "string" && samePath(record.spec, rel)) {
      throw new BatonError(
        "STATE_CONFLICT",
        `${rel} is already set up as ${String(record.name)} in ${ws.config.planning.dir}/${folder}`,
        folder === record.name
          ? `use that spec (baton spec status --spec ${folder}); to rename it, edit name in its status.yaml, then run baton spec migrate`
          : "move it to a folder named after the spec first: baton spec migrate",
      );
    }
  }
}

// ---- activate / deactivate ----

export interface ActivateResult {
  name: string;
  previous: string | null;
  changed: boolean;
}

/** `baton spec activate <name>`: the per-machine active spec (gitignored `.active`). */
export function activateSpec(ctx: AppContext, name: string): Promise<ActivateResult> {
  assertSpecName(name);
  return withWorkspaceLock(ctx.ws, () => {
    loadSpec(ctx.ws, name);
    const previous = readActiveRaw(ctx.ws);
    if (previous === name) return { name, previous, changed: false };
    writeActiveSpec(ctx.ws, name);
    // Recorded so the journal (PLANNING.md) shows the new active spec.
    recordEvent(ctx.ws, "spec.activated", isoNow(ctx), { spec: name, previous });
    return { name, previous, changed: true };
  });
}

export interface DeactivateResult {
  previous: string | null;
  changed: boolean;
}

export function deactivateSpec(ctx: AppContext): Promise<DeactivateResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const previous = readActiveRaw(ctx.ws);
    if (previous === null) return { previous: null, changed: false };
    writeActiveSpec(ctx.ws, null);
    recordEvent(ctx.ws, "spec.deactivated", isoNow(ctx), { previous });
    return { previous, changed: true };
  });
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

// ---- approval freshness ----

/**
 * Approval covers the documents that were read: an approved spec whose documents hash
 * differently now goes back to in_review. Checked without the lock; written under it.
 */
async function applyApprovalRule(
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

// ---- status ----

export interface TaskTreeNode {
  id: string;
  title: string;
  status: TaskNode["status"];
  optional: boolean;
  requirements: string[];
  line: number;
  children: TaskTreeNode[];
}

export interface HintedBranch extends BranchFacts {
  /** Other specs whose branch hint is this branch too (allowed; shown so nobody is surprised). */
  other_specs: string[];
}

export interface GitFacts extends RepoFacts {
  /** Facts about `last_known_branch`; null when the spec has no branch hint yet. */
  hinted_branch: HintedBranch | null;
}

export interface SpecStatusReport {
  spec: SpecSummary;
  /** How the spec was chosen: named (--spec), the active one, or the only spec there is. */
  selected: "given" | "active" | "only";
  /** True when this read sent an approved spec back to review (its documents changed). */
  reopened: boolean;
  /** The task list read, relative to the workspace root; null when the spec has none. */
  tasks_file: string | null;
  progress: TaskProgress;
  tasks: TaskTreeNode[];
  git: GitFacts;
}

/** `spec status` with no spec named, none active and not exactly one spec: nothing to show. */
export interface NoSpecStatus {
  spec: null;
  /** The specs there are, to activate one of. */
  specs: string[];
  reopened: false;
  tasks_file: null;
  progress: null;
  tasks: TaskTreeNode[];
  git: null;
}

/**
 * `baton spec status [--spec <name>]`: the spec, its progress and the git facts, never a
 * decision. Without --spec: the active spec, else the only spec when there is exactly one, else
 * none (not an error: "which spec is active" has the answer "none").
 */
export async function specStatus(
  ctx: AppContext,
  given?: string,
): Promise<SpecStatusReport | NoSpecStatus> {
  const { ws } = ctx;
  let name: string;
  let selected: SpecStatusReport["selected"];
  if (given !== undefined || readActiveRaw(ws) !== null) {
    name = resolveName(ws, given);
    selected = given !== undefined ? "given" : "active";
  } else {
    const specs = listSpecNames(ws);
    if (specs.length !== 1) {
      return {
        spec: null,
        specs,
        reopened: false,
        tasks_file: null,
        progress: null,
        tasks: [],
        git: null,
      };
    }
    name = specs[0] as string;
    selected = "only";
  }
  const { status, reopened } = await applyApprovalRule(ctx, loadSpec(ws, name));
  const tasksFile = specTasksFile(ws, status);
  const tasks = tasksFile ? parseTasksMarkdown(readTextOrNull(ws, tasksFile) ?? "").tasks : [];
  const reader = openGit(ws.root, batonPathTest(ws));
  const branch = status.last_known_branch;
  return {
    spec: summary(ws, status, activeOrNull(ws)),
    selected,
    reopened,
    tasks_file: tasksFile ? ws.rel(tasksFile) : null,
    progress: taskProgress(tasks),
    tasks: tasks.map(treeNode),
    git: {
      ...reader.facts,
      hinted_branch:
        branch === null
          ? null
          : { ...reader.branch(branch), other_specs: specsOnBranch(ws, branch, name) },
    },
  };
}

function treeNode(node: TaskNode): TaskTreeNode {
  return {
    id: node.id,
    title: node.title,
    status: node.status,
    optional: node.optional,
    requirements: node.requirements,
    line: node.line,
    children: node.children.map(treeNode),
  };
}

function specsOnBranch(ws: Workspace, branch: string, except: string): string[] {
  const names: string[] = [];
  for (const folder of findStatusFolders(ws)) {
    if (folder === except) continue;
    try {
      const record = readStatusRecord(ws, folder);
      if (record.last_known_branch === branch && typeof record.name === "string")
        names.push(record.name);
    } catch {
      // An unreadable status.yaml is reported by baton spec list, not here.
    }
  }
  return names.sort();
}

// ---- update-branch ----

export interface UpdateBranchResult {
  name: string;
  previous: string | null;
  last_known_branch: string | null;
  changed: boolean;
}

/**
 * `baton spec update-branch --spec <name> --branch <branch|null>`: records the agent's decision
 * as the spec's branch hint. The branch need not exist yet; `null` clears the hint.
 */
export function updateBranch(
  ctx: AppContext,
  given: string | undefined,
  branchArg: string,
): Promise<UpdateBranchResult> {
  const branch = branchArg === "null" ? null : branchArg;
  if (branch !== null) {
    const problem = branchNameProblem(branch);
    if (problem) {
      throw new BatonError(
        "INVALID_INPUT",
        `${JSON.stringify(branch.slice(0, 80))} is not a valid branch name: ${problem}`,
        "pass a git branch name such as feature/user-auth, or --branch null to clear the hint",
      );
    }
  }
  const { ws } = ctx;
  return withWorkspaceLock(ws, () => {
    const name = resolveName(ws, given);
    const status = loadSpec(ws, name);
    const previous = status.last_known_branch;
    if (previous === branch) return { name, previous, last_known_branch: branch, changed: false };
    const now = isoNow(ctx);
    writeSpecStatus(ws, { ...status, last_known_branch: branch, updated: now });
    recordEvent(ws, "spec.branch_updated", now, { spec: name, from: previous, to: branch });
    return { name, previous, last_known_branch: branch, changed: true };
  });
}

// ---- list ----

export interface ListProblem {
  folder: string;
  code: string;
  message: string;
  hint: string;
}

export interface SpecListResult {
  active: string | null;
  specs: SpecSummary[];
  /** Planning folders that could not be listed as specs, and a stale `.active`. */
  problems: ListProblem[];
}

/** `baton spec list`: every spec with its stage, branch hint and the active marker. */
export async function listSpecs(ctx: AppContext): Promise<SpecListResult> {
  const { ws } = ctx;
  const problems: ListProblem[] = [];
  const rawActive = readActiveRaw(ws);
  const active = activeOrNull(ws);
  const specs: SpecSummary[] = [];
  for (const folder of findStatusFolders(ws)) {
    const shown = ws.rel(planningPath(ws, folder));
    try {
      const status = loadSpec(ws, folder);
      const { status: fresh } = await applyApprovalRule(ctx, status);
      specs.push(summary(ws, fresh, active));
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      problems.push({ folder: shown, ...misplaced(ws, folder, error) });
    }
  }
  if (rawActive !== null && !specs.some((s) => s.name === rawActive)) {
    problems.push({
      folder: ws.rel(path.join(ws.paths.planning, ".active")),
      code: "SPEC_NOT_FOUND",
      message: `the active spec ${JSON.stringify(rawActive)} is not a spec here`,
      hint: "activate another (baton spec activate <name>) or clear it: baton spec deactivate",
    });
  }
  return { active, specs, problems };
}

/** A folder that is not a listable spec: named after a branch, or holding a bad status.yaml. */
function misplaced(ws: Workspace, folder: string, error: BatonError): Omit<ListProblem, "folder"> {
  try {
    const { record, legacy } = readStatusForMigration(ws, folder);
    if (legacy) {
      return {
        code: "STATE_CONFLICT",
        message: `folder ${folder} holds a status.yaml of the old branch-folder layout (spec ${JSON.stringify(record.name)}, no schema_version)`,
        hint: "upgrade it with: baton spec migrate (baton spec migrate --dry-run shows what it would do)",
      };
    }
    const name = record.name;
    if (typeof name === "string" && name !== folder) {
      return {
        code: "STATE_CONFLICT",
        message: `folder ${folder} holds the spec ${JSON.stringify(name)}; planning folders are named after their spec`,
        hint: "run baton spec migrate (baton spec migrate --dry-run shows what it would do)",
      };
    }
  } catch {
    // fall through to the original error
  }
  return { code: error.code, message: error.message, hint: error.hint };
}

// ---- migrate ----

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
export function migrateSpecs(ctx: AppContext, dryRun: boolean): Promise<MigrateResult> {
  const { ws } = ctx;
  return withWorkspaceLock(ws, () => {
    const now = isoNow(ctx);
    const sources = findStatusFolders(ws).map((folder) => {
      const { record, legacy } = readStatusForMigration(ws, folder);
      const name = record.name;
      if (typeof name !== "string") {
        throw new BatonError(
          "CORRUPT_FILE",
          `${ws.rel(planningPath(ws, folder))}/status.yaml has no name`,
          "add name: <spec-name> to it, then run baton spec migrate again; nothing was moved",
        );
      }
      return { folder, name, legacy };
    });
    const plan = planMigration(sources, planningEntries(ws));
    if (plan.collisions.length > 0) {
      throw new BatonError(
        "STATE_CONFLICT",
        `cannot migrate: ${plan.collisions.join("; ")}`,
        "change the name in one spec's status.yaml (or move the folder in the way), then run baton spec migrate again; nothing was moved",
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
