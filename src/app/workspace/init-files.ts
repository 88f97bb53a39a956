/**
 * The files `baton init` keeps besides its config (.gitignore and .gitattributes entries, the
 * agent instruction blocks, each agent's files), planned with their bytes before and after so
 * that nothing is written until every one of them is known to be writable.
 */

import {
  type AgentOutput,
  type AgentTarget,
  isManagedFile,
  type OwnedFolder,
} from "../../core/agent-targets.ts";
import { upsertAgentsBlock } from "../../core/agents-block.ts";
import { cmd } from "../../core/command-ref.ts";
import { BatonError, corruptFile } from "../../core/errors.ts";
import { type JsonEntryRefusal, upsertJsonEntry } from "../../core/json-entry.ts";
import { renderTomlTable, upsertTomlTable } from "../../core/toml-entry.ts";
import { listEntries, pathKind, readTextOrNull, safePath } from "../../store/files.ts";
import { activeSpecMarker } from "../../store/specs.ts";
import { BATON_DIR, gitAttributeLines, repoPath, type Workspace } from "../../store/workspace.ts";

export type FileAction = "create" | "update" | "unchanged" | "skipped" | "remove";

/** One file init would write: its repository-relative path, its bytes now and after. */
export interface Planned {
  path: string;
  file: string;
  before: string | null;
  /** Null: an obsolete managed file, to be removed. */
  after: string | null;
  /** An existing file at an owned path that Baton did not write: left alone. */
  skipped?: boolean;
}

const BLOCK_START = "# >>> baton (managed: per-machine state) >>>";
const BLOCK_END = "# <<< baton <<<";

export function actionOf(p: Planned): FileAction {
  if (p.skipped) return "skipped";
  if (p.after === null) return "remove";
  if (p.before === null) return "create";
  return p.before === p.after ? "unchanged" : "update";
}

/** Every file init keeps besides the config, in the order they are written. */
export function planFiles(ws: Workspace, targets: readonly AgentTarget[]): Planned[] {
  const out: Planned[] = [];
  const ignore = [
    `/${BATON_DIR}/.lock*`,
    `/${BATON_DIR}/.writing`,
    `/${BATON_DIR}/cache/`,
    `/${ws.rel(activeSpecMarker(ws))}`,
    "*.baton-tmp-*",
  ];
  for (const [name, lines] of [
    [".gitignore", ignore],
    [".gitattributes", gitAttributeLines(ws)],
  ] as const) {
    const file = repoPath(ws, name);
    const before = readTextOrNull(ws, file);
    out.push({ path: name, file, before, after: managedBlock(before ?? "", [...lines]) });
  }
  const outputs: AgentOutput[] = targets.flatMap((t) => t.outputs);
  // AGENTS.md always; CLAUDE.md when it exists or an agent asks for it.
  const instructions = new Map<string, string | undefined>([
    ["AGENTS.md", undefined],
    ["CLAUDE.md", undefined],
  ]);
  const create = new Set(["AGENTS.md"]);
  for (const o of outputs) {
    if (o.kind !== "block") continue;
    instructions.set(o.path, o.text);
    create.add(o.path);
  }
  const seen = new Set<string>();
  for (const [name, text] of instructions) {
    const p = planInstructions(ws, name, create.has(name), text);
    if (!p || seen.has(p.file)) continue;
    seen.add(p.file);
    out.push(p);
  }
  const installed = new Set<string>();
  for (const o of outputs) {
    if (o.kind === "block") continue;
    installed.add(o.path);
    const file = repoPath(ws, o.path);
    const before = readTextOrNull(ws, file);
    if (o.kind === "owned") {
      const skipped = before !== null && !isManagedFile(before);
      out.push({
        path: o.path,
        file,
        before,
        after: skipped ? before : o.content,
        ...(skipped ? { skipped } : {}),
      });
    } else {
      out.push({ path: o.path, file, before, after: mergeEntry(before, o) });
    }
  }
  const folders = targets.flatMap((t) => t.folders);
  for (const { rel, text } of obsoleteFiles(ws, folders, installed)) {
    out.push({ path: rel, file: repoPath(ws, rel), before: text, after: null });
  }
  return out;
}

/**
 * The files in Baton's own folders that carry the managed marker but are no longer among the
 * files Baton installs (a command or flow since renamed or dropped). A file without the marker is
 * the user's and is never listed; symbolic links inside the folders are not followed, and a
 * folder leading outside the repository is refused (UNSAFE_PATH) by the guard.
 */
function obsoleteFiles(
  ws: Workspace,
  folders: OwnedFolder[],
  installed: Set<string>,
): { rel: string; text: string }[] {
  const out: { rel: string; text: string }[] = [];
  const walk = (rel: string, folder: OwnedFolder) => {
    const dir = repoPath(ws, rel);
    const entries = listEntries(ws, dir) ?? [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        // An empty prefix makes the whole folder Baton's, sub-folders included.
        if (folder.prefix === "") walk(child, folder);
        continue;
      }
      if (!entry.isFile() || !entry.name.startsWith(folder.prefix) || installed.has(child)) {
        continue;
      }
      const text = readTextOrNull(ws, repoPath(ws, child));
      if (text !== null && isManagedFile(text)) out.push({ rel: child, text });
    }
  };
  for (const f of folders) walk(f.dir, f);
  return out;
}

/**
 * `before` with Baton's entry (`doc[key][name]`, or the TOML table `[key.name]`) in place and
 * every other byte kept; `before` itself when the entry is already right. A file Baton cannot
 * read, or cannot edit without losing the user's comments, is refused: the whole run writes
 * nothing and the hint shows the entry to add by hand.
 */
function mergeEntry(before: string | null, o: Extract<AgentOutput, { kind: "json" }>): string {
  if (o.syntax === "toml") {
    const value = o.value;
    const merged = upsertTomlTable(before, o.key, o.name, value);
    if (merged.ok) return merged.text;
    throw new BatonError(
      "STATE_CONFLICT",
      `${o.path} defines ${o.key}.${o.name} other than as a [${o.key}.${o.name}] table; baton init wrote nothing`,
      `replace that definition in ${o.path} with this table: ${renderTomlTable(o.key, o.name, value).trimEnd().replaceAll("\n", "; ")}`,
    );
  }
  const merged = upsertJsonEntry(before, o, { jsonc: o.syntax === "jsonc" });
  if (merged.ok) return merged.text;
  const entry = `"${o.name}": ${JSON.stringify(o.value)}`;
  if (merged.refusal === "jsonc-change") {
    throw new BatonError(
      "STATE_CONFLICT",
      `${o.path} has comments or trailing commas, which rewriting it would lose; baton init wrote nothing`,
      `add this entry under "${o.key}" in ${o.path} by hand, then run ${cmd("init")} again: ${entry}`,
    );
  }
  const why: Record<Exclude<JsonEntryRefusal, "jsonc-change">, string> = {
    "not-json": o.syntax === "jsonc" ? "is not valid JSON with comments" : "is not valid JSON",
    "not-object": "is not a JSON object",
    "section-not-object": `has a "${o.key}" that is not an object`,
  };
  throw corruptFile(
    o.path,
    `${why[merged.refusal]}; baton init wrote nothing`,
    `fix ${o.path}${o.syntax === "json" ? " (comments are not JSON)" : ""}, or add this entry under "${o.key}" by hand: ${entry}`,
  );
}

/**
 * Baton's block (run `baton resume` first…) in one agent instruction file, every line outside
 * its markers left alone. Null when the file is missing and not to be created. A symbolic link
 * (CLAUDE.md pointing at AGENTS.md is common) is written through when it points inside the
 * repository, never replaced; one pointing elsewhere, or nowhere, is refused (UNSAFE_PATH).
 * `file` is where the text really lives, so two names for one file are planned once.
 */
function planInstructions(
  ws: Workspace,
  name: string,
  create: boolean,
  text: string | undefined,
): Planned | null {
  const spelled = repoPath(ws, name);
  const file = safePath(ws, spelled);
  const kind = pathKind(ws, spelled);
  if (kind === null && !create) return null;
  if (kind === "folder") return null;
  const before = readTextOrNull(ws, file);
  return { path: name, file, before, after: upsertAgentsBlock(before, text) };
}

/** `before` with Baton's lines between markers, every other line of the file left alone. */
function managedBlock(before: string, lines: string[]): string {
  const block = `${BLOCK_START}\n${lines.join("\n")}\n${BLOCK_END}\n`;
  const start = before.indexOf(BLOCK_START);
  const end = before.indexOf(BLOCK_END);
  if (start !== -1 && end > start) {
    return before.slice(0, start) + block + before.slice(end + BLOCK_END.length).replace(/^\n/, "");
  }
  const sep = before === "" || before.endsWith("\n") ? "" : "\n";
  return `${before}${sep}${before === "" ? "" : "\n"}${block}`;
}
