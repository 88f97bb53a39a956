import fs from "node:fs";
import path from "node:path";
import { cmd } from "../core/command-ref.ts";
import { type BatonConfig, pathSettings, resolveConfig } from "../core/config.ts";
import { BatonError, corruptFile } from "../core/errors.ts";
import { relativeRel } from "../core/rel-path.ts";
import { checkSchemaVersion } from "../core/schema.ts";
import { makeDir, parseYamlText, readTextOrNull } from "./files.ts";
import { type PathGuard, pathGuard } from "./guard.ts";
import type { StateChangeHook, Transaction } from "./transaction.ts";

export const BATON_DIR = ".baton";
export const CONFIG_FILE = "config.yaml";

/** Absolute locations of everything Baton reads and writes in one workspace. */
export interface WorkspacePaths {
  root: string;
  batonDir: string;
  config: string;
  knowledge: string;
  index: string;
  /** The catalog's recent changes while index.json is large (see store/catalog-file.ts). */
  indexLog: string;
  active: string;
  sessions: string;
  topics: string;
  planning: string;
  tickets: string;
  archive: string;
  journal: string;
  events: string;
  lock: string;
  dirtyMarker: string;
}

export interface Workspace {
  root: string;
  /**
   * The root's place in the git worktree the command runs in: the root itself, unless it runs in
   * a linked worktree, whose state is the primary worktree's (see findWorkspaceRoot).
   */
  local: string;
  config: BatonConfig;
  paths: WorkspacePaths;
  /** Every path under the root is checked by it before use (store/files.ts). */
  guard: PathGuard;
  /**
   * The transaction under way on this handle, or null: a value owned by the handle (one per
   * command, one per MCP request), never module state, so requests served at once each have
   * their own (see store/transaction.ts).
   */
  tx: Transaction | null;
  /** Called after each committed transaction that recorded events (the journal), by name. */
  readonly subscribers: Map<string, StateChangeHook>;
  /** The command this handle serves (`baton spike`), recorded with every event it makes. */
  source: string | null;
  /** A path relative to the root, with forward slashes, for messages and links. */
  rel(absolute: string): string;
}

/** A workspace's `.baton/config.yaml`, for the workspace rooted at `root`. */
export function configFile(root: string): string {
  return path.join(root, BATON_DIR, CONFIG_FILE);
}

/**
 * Walks up from `start` to the nearest folder holding `.baton/config.yaml`. Inside a linked git
 * worktree (`git worktree add`) that is the primary worktree's, when it has one: one clone keeps
 * one live state, so agents in different worktrees of it share their claims and sessions, and
 * their branches never carry Baton's state files.
 */
export function findWorkspaceRoot(start: string): string | null {
  return findWorkspace(start)?.root ?? null;
}

/**
 * The workspace root for `start` (see findWorkspaceRoot), and `local`: the same folder in the
 * worktree `start` lies in, which is the root itself unless the command runs in a linked
 * worktree. Git facts are about that worktree (its branch, its changes).
 */
export function findWorkspace(start: string): { root: string; local: string } | null {
  const from = path.resolve(start);
  const holds = (dir: string) => fs.existsSync(configFile(dir));
  let found: string | null = null;
  for (let dir = from; ; ) {
    if (found === null && holds(dir)) found = dir;
    if (fs.existsSync(path.join(dir, ".git"))) {
      // The top of the worktree holding `found` (or `start`): in a linked one, the same place
      // in the primary worktree, or the nearest workspace above it there.
      const primary = primaryWorktreeOf(dir);
      if (primary !== null) {
        for (let at = path.join(primary, path.relative(dir, found ?? from)); ; ) {
          if (holds(at)) return { root: at, local: path.join(dir, path.relative(primary, at)) };
          if (at === primary || found !== null) break;
          at = path.dirname(at);
        }
      }
      if (found !== null) return { root: found, local: found };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return found === null ? null : { root: found, local: found };
    dir = parent;
  }
}

/** A folder a command is pointed at (`-C <dir>`, or where it runs), as an absolute path. */
export function resolveFolder(dir: string): string {
  return path.resolve(dir);
}

/**
 * When `dir` is the top of a linked git worktree, the top of its repository's primary worktree;
 * else null. Read from git's own files (a `.git` file naming the worktree's git folder, whose
 * `commondir` names the repository's), so finding the workspace starts no git process. A bare
 * repository has no primary worktree; a submodule's `.git` file has no `commondir`.
 */
export function primaryWorktreeOf(dir: string): string | null {
  let text: string;
  try {
    const dotGit = path.join(dir, ".git");
    if (!fs.lstatSync(dotGit).isFile()) return null;
    text = fs.readFileSync(dotGit, "utf8");
  } catch {
    return null;
  }
  const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
  if (!gitdir) return null;
  const worktreeGit = path.resolve(dir, gitdir);
  let common: string;
  try {
    common = path.resolve(
      worktreeGit,
      fs.readFileSync(path.join(worktreeGit, "commondir"), "utf8").trim(),
    );
  } catch {
    return null;
  }
  if (path.basename(common) !== ".git") return null;
  const primary = path.dirname(common);
  return path.resolve(primary) === path.resolve(dir) ? null : primary;
}

/** The folder a command runs in (`-C <dir>`): it must exist and be a folder, not a file. */
export function requireFolder(dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `folder ${dir} does not exist`,
      "pass an existing folder with -C <dir>",
    );
  }
  if (!stat.isDirectory()) {
    throw new BatonError(
      "INVALID_INPUT",
      `${dir} is a file, not a folder`,
      "pass the folder to run in: baton -C <dir> <command>",
    );
  }
}

export function openWorkspace(start: string): Workspace {
  requireFolder(start);
  const found = findWorkspace(start);
  if (!found) {
    throw new BatonError(
      "NO_WORKSPACE",
      `no Baton workspace in ${path.resolve(start)} or any parent folder`,
      `run ${cmd("init")} in your repository's root first`,
    );
  }
  const guard = pathGuard(found.root);
  return { ...workspaceAt(found.root, loadConfig(found.root, guard), guard), local: found.local };
}

export function loadConfig(root: string, guard: PathGuard = pathGuard(root)): BatonConfig {
  const file = configFile(root);
  const shown = `${BATON_DIR}/${CONFIG_FILE}`;
  const text = readTextOrNull({ guard }, file);
  if (text === null) {
    throw new BatonError("NO_WORKSPACE", `${shown} is missing in ${root}`, `run ${cmd("init")}`);
  }
  const data = parseYamlText(text, shown);
  const config = resolveConfig(checkSchemaVersion(data, shown), shown);
  checkMovedPaths(root, config, shown);
  return config;
}

/**
 * A setting that names a new place which does not exist, while the default place holds Baton's
 * state, is far more likely a cut-off or mistyped file (`knowledgeDir: .baton/knowledg`) than
 * a move: following it would start an empty workspace beside the real one and archive the live
 * journal. Refused; a real move moves the folder first. A default folder holding no file yet
 * (as `init` leaves it) holds nothing to lose, so pointing elsewhere then is fine. Costs nothing
 * for default settings.
 */
function checkMovedPaths(root: string, config: BatonConfig, shown: string): void {
  for (const { key, value, fallback } of pathSettings(config)) {
    if (value === fallback || fs.existsSync(path.join(root, value))) continue;
    if (!holdsFiles(path.join(root, fallback))) continue;
    throw corruptFile(
      shown,
      `sets ${key} to ${value}, which does not exist, while ${fallback} holds Baton's state`,
      `if the file was cut off or mistyped, fix it or restore it from git; to move the state, move ${fallback} to ${value} first`,
    );
  }
}

/** A file, or a folder with a file somewhere inside (the search stops at the first). */
function holdsFiles(target: string): boolean {
  let entries: fs.Dirent[];
  try {
    if (!fs.statSync(target).isDirectory()) return true;
    entries = fs.readdirSync(target, { withFileTypes: true });
  } catch {
    return false;
  }
  if (entries.some((entry) => !entry.isDirectory())) return true;
  return entries.some((entry) => holdsFiles(path.join(target, entry.name)));
}

export function workspaceAt(
  root: string,
  config: BatonConfig,
  guard: PathGuard = pathGuard(root),
): Workspace {
  const abs = (p: string) => path.join(root, p);
  const knowledge = abs(config.workflow.knowledgeDir);
  const batonDir = abs(BATON_DIR);
  return {
    root,
    local: root,
    config,
    guard,
    tx: null,
    subscribers: new Map(),
    source: null,
    paths: {
      root,
      batonDir,
      config: configFile(root),
      knowledge,
      index: path.join(knowledge, "index.json"),
      indexLog: path.join(knowledge, "index.log.jsonl"),
      active: path.join(knowledge, ".active-planning.json"),
      sessions: path.join(knowledge, "sessions"),
      topics: path.join(knowledge, "topics"),
      planning: abs(config.planning.dir),
      tickets: abs(config.tickets.dir),
      archive: abs(config.journal.archiveDir),
      journal: abs(config.journal.file),
      events: path.join(batonDir, "events.jsonl"),
      lock: path.join(batonDir, ".lock"),
      dirtyMarker: path.join(batonDir, ".writing"),
    },
    rel: (absolute: string) => path.relative(root, absolute).split(path.sep).join("/"),
  };
}

/**
 * Whether a workspace-relative path is Baton's own state (its folder, the knowledge, planning,
 * tickets and archive folders, the journal) rather than the project's work.
 */
export function batonPathTest(ws: Workspace): (rel: string) => boolean {
  const c = ws.config;
  const dirs = [
    BATON_DIR,
    c.workflow.knowledgeDir,
    c.planning.dir,
    c.tickets.dir,
    c.journal.archiveDir,
  ].map((d) => d.replace(/^\.\//, "").replace(/\/+$/, ""));
  return (rel) => {
    const p = rel.replace(/\/+$/, "");
    return p === c.journal.file || dirs.some((d) => p === d || p.startsWith(`${d}/`));
  };
}

/** Where a repository-relative path (forward slashes, as Baton records and shows it) lies. */
export function repoPath(ws: Workspace, rel: string): string {
  return path.join(ws.root, ...rel.split("/"));
}

/** A Markdown link target from a folder to a file, both in the workspace, with forward slashes. */
export function linkFrom(ws: Workspace, fromDir: string, toFile: string): string {
  return relativeRel(ws.rel(fromDir), ws.rel(toFile));
}

/** Makes the folders the config names for Baton's state (knowledge, planning, tickets…). */
export function makeWorkspaceFolders(ws: Workspace): void {
  const p = ws.paths;
  for (const dir of [p.knowledge, p.sessions, p.topics, p.planning, p.tickets, p.archive]) {
    makeDir(ws, dir);
  }
}

/**
 * The files that merge by union in git (`.gitattributes`), repository-relative: the event log
 * and the catalog's log, where every line is a record of its own, and each topic's sources.md,
 * whose links Baton only ever adds.
 */
export function unionMergedFiles(ws: Workspace): string[] {
  return [
    ws.rel(ws.paths.events),
    ws.rel(ws.paths.indexLog),
    // Each spec's coordination timeline: events with ids of their own, so a union merges.
    `${ws.rel(ws.paths.planning)}/*/events.jsonl`,
    `${ws.rel(ws.paths.topics)}/*/sources.md`,
  ];
}

/** The name of Baton's merge driver in `.gitattributes` and `.git/config` (`merge.baton.*`). */
export const MERGE_DRIVER = "baton";

/**
 * The files git merges with Baton's driver (`baton merge-driver`), where a union of lines is
 * not enough: the catalog, the planning sessions, each plan's backlog map, the journal's state
 * and PLANNING.md. Patterns as .gitattributes takes them, repository-relative.
 */
export function driverMergedFiles(ws: Workspace): string[] {
  return [
    ws.rel(ws.paths.index),
    ws.rel(ws.paths.active),
    `${ws.rel(ws.paths.sessions)}/*.json`,
    `${ws.rel(ws.paths.topics)}/*/backlog.json`,
    ws.rel(path.join(ws.paths.batonDir, "journal.json")),
    ws.rel(ws.paths.journal),
  ];
}

/** The lines of Baton's block in `.gitattributes`: how git merges each file Baton keeps. */
export function gitAttributeLines(ws: Workspace): string[] {
  return [
    ...unionMergedFiles(ws).map((rel) => `/${rel} merge=union`),
    ...driverMergedFiles(ws).map((rel) => `/${rel} merge=${MERGE_DRIVER}`),
  ];
}
