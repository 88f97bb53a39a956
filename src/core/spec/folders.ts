/**
 * Pure rules for planning folders: which name a spec gets from its file or folder, which layout
 * a spec path follows, and how `baton spec migrate` renames folders without collisions.
 */
import { BatonError } from "../errors.ts";
import { specFolderName } from "./status.ts";

/** Where a spec came from: one file with a frontmatter `name`, or a folder of documents. */
export type SpecLayout = "file" | "kiro" | "speckit" | "openspec" | "folder";

const KIRO_FOLDER = /(?:^|\/)\.kiro\/specs\/[^/]+$/;
/** Spec Kit numbers its feature folders: `specs/001-user-auth`. */
const SPECKIT_FOLDER = /(?:^|\/)specs\/\d{3,}-[^/]+$/;
/** An OpenSpec change: `openspec/changes/<id>`, also once archived (`changes/archive/<id>`). */
const OPENSPEC_CHANGE = /(?:^|\/)openspec\/changes\/(?:archive\/)?(?!archive$)[^/]+$/;

/** `rel` is the spec's path relative to the workspace, with forward slashes. */
export function specLayout(rel: string, isFolder: boolean): SpecLayout {
  if (!isFolder) return "file";
  if (KIRO_FOLDER.test(rel)) return "kiro";
  if (OPENSPEC_CHANGE.test(rel)) return "openspec";
  if (SPECKIT_FOLDER.test(rel)) return "speckit";
  return "folder";
}

export interface DerivedName {
  /** The spec name, which is also its planning folder's name. */
  name: string;
  /** The name as written, when folding (case, spaces, accents) changed it. */
  written: string | null;
}

/**
 * The spec name for a written name (a frontmatter `name` or a folder's name). Something that
 * looks like a path is refused outright rather than folded into a harmless-looking name, so
 * `name: ../../etc` never quietly becomes the spec `etc`. Spec Kit's `NNN-` prefix is kept: it is
 * part of Spec Kit's own feature id and branch name, and it keeps `001-auth` and `014-auth` apart.
 */
export function specNameFrom(written: string, source: string): DerivedName {
  const trimmed = written.trim();
  if (
    trimmed === "" ||
    /[/\\\0]/.test(trimmed) ||
    trimmed.startsWith(".") ||
    trimmed.startsWith("~") ||
    /^[A-Za-z]:/.test(trimmed)
  ) {
    throw new BatonError(
      "INVALID_ID",
      `spec name ${JSON.stringify(written.slice(0, 80))} (from ${source}) ${trimmed === "" ? "is empty" : "looks like a path"}`,
      "a spec name is one word such as user-auth: letters, digits, dashes, dots or underscores",
    );
  }
  const name = specFolderName(trimmed);
  return { name, written: name === trimmed ? null : trimmed };
}

export interface MigrationSource {
  /** The folder holding status.yaml, relative to the planning folder (`feature/auth`). */
  folder: string;
  /** The `name` its status.yaml gives. */
  name: string;
  /** Its status.yaml is of the legacy branch-folder layout and is rewritten even in place. */
  legacy?: boolean;
}

export interface MigrationMove {
  from: string;
  to: string;
  /** The name as status.yaml wrote it, when folding changed it (status.yaml is then updated). */
  written_name: string | null;
  /** status.yaml is upgraded from the legacy layout. */
  legacy: boolean;
}

export interface MigrationPlan {
  /** In an order where every target is free by the time its move runs. */
  moves: MigrationMove[];
  /** One line each; a plan with collisions must not be carried out. */
  collisions: string[];
}

/**
 * Plans renaming every planning folder to its spec's name (and upgrading legacy status files,
 * in place when the folder is already right). `entries` are the names directly in
 * the planning folder. A target is free when nothing is there, or when the folder there is itself
 * moving away (moves are ordered so it leaves first); two specs wanting one folder, a target taken
 * by something that stays, and rename cycles are collisions. Throws INVALID_ID for a path-like name.
 */
export function planMigration(
  sources: readonly MigrationSource[],
  entries: readonly string[],
): MigrationPlan {
  const collisions: string[] = [];
  const wanted = new Map<string, MigrationSource[]>();
  const pending: MigrationMove[] = [];
  for (const source of sources) {
    const { name, written } = specNameFrom(source.name, `${source.folder}/status.yaml`);
    const claims = wanted.get(name) ?? [];
    claims.push(source);
    wanted.set(name, claims);
    const legacy = source.legacy === true;
    if (source.folder !== name)
      pending.push({ from: source.folder, to: name, written_name: written, legacy });
    else if (written !== null || legacy)
      pending.push({ from: name, to: name, written_name: written, legacy });
  }
  for (const [name, claims] of wanted) {
    if (claims.length > 1) {
      collisions.push(
        `${claims.map((c) => `${c.folder} (name ${JSON.stringify(c.name)})`).join(" and ")} would both become ${name}`,
      );
    }
  }
  const leaving = new Set(pending.filter((m) => m.from !== m.to).map((m) => m.from));
  const taken = new Set(entries);
  for (const move of pending) {
    if (move.from === move.to || (wanted.get(move.to)?.length ?? 0) > 1) continue;
    if (taken.has(move.to) && !leaving.has(move.to)) {
      collisions.push(`${move.from} would become ${move.to}, which already exists`);
    }
  }
  if (collisions.length > 0) return { moves: [], collisions };
  // Order: a move runs once its target has been vacated; whatever is left forms a cycle.
  const ordered: MigrationMove[] = [];
  const occupied = new Set(pending.filter((m) => m.from !== m.to).map((m) => m.from));
  let rest = pending;
  while (rest.length > 0) {
    const ready = rest.filter((m) => m.from === m.to || !occupied.has(m.to));
    if (ready.length === 0) {
      collisions.push(
        `${rest.map((m) => `${m.from} -> ${m.to}`).join(", ")} form a cycle of renames`,
      );
      return { moves: [], collisions };
    }
    for (const move of ready) {
      ordered.push(move);
      occupied.delete(move.from);
    }
    rest = rest.filter((m) => !ready.includes(m));
  }
  return { moves: ordered, collisions };
}
