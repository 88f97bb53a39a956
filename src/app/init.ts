import path from "node:path";
import {
  AGENT_NAMES,
  type AgentName,
  type AgentOutput,
  type AgentTarget,
  agentTarget,
  isManagedFile,
  MCP_COMMAND_LINE,
  type OwnedFolder,
  resolveAgentNames,
} from "../core/agent-targets.ts";
import { upsertAgentsBlock } from "../core/agents-block.ts";
import { type BatonConfig, defaultConfig, renderConfig, resolveConfig } from "../core/config.ts";
import { BatonError } from "../core/errors.ts";
import { type JsonEntryRefusal, upsertJsonEntry } from "../core/json-entry.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { renderTomlTable, upsertTomlTable } from "../core/toml-entry.ts";
import { recordEvent, setEventSource } from "../store/events.ts";
import {
  createNewFile,
  listEntries,
  makeDir,
  exists as pathExists,
  pathKind,
  readTextOrNull,
  removeFile,
  safePath,
  writeText,
} from "../store/files.ts";
import { pathGuard } from "../store/guard.ts";
import { findNpxBaton } from "../store/installed.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import {
  BATON_DIR,
  CONFIG_FILE,
  loadConfig,
  requireFolder,
  type Workspace,
  workspaceAt,
} from "../store/workspace.ts";
import { agentsSourceDir, loadAgentSources } from "./agent-sources.ts";

export interface InitOptions {
  dir: string;
  knowledgeDir?: string | undefined;
  planningDir?: string | undefined;
  archiveDir?: string | undefined;
  ticketPrefix?: string | undefined;
  /** `--agent`: agents whose files to install (`all` for every one). */
  agents?: string[] | undefined;
  /** `--dry-run`: report what would be written and write nothing. */
  dryRun?: boolean | undefined;
  now?: Date;
  /** The command running init (`baton init`), recorded with its event. */
  source?: string | undefined;
}

export type FileAction = "create" | "update" | "unchanged" | "skipped" | "remove";

export interface InitResult {
  root: string;
  /** True when this run created the workspace (with `--dry-run`: would create it). */
  created: boolean;
  config: BatonConfig;
  /** Files written, in order; empty with `--dry-run`. */
  written: string[];
  /** Obsolete managed files removed (no longer among those Baton installs); empty with `--dry-run`. */
  removed: string[];
  dry_run: boolean;
  agents: AgentName[];
  /** Every file init manages and what it does (or, with `--dry-run`, would do) to it. */
  files: { path: string; action: FileAction }[];
  /** What the chosen agents need that init cannot write (user-level config). */
  notes: string[];
  /** What will not work as installed (the MCP server command finds no Baton to run). */
  warnings: string[];
}

/** One file init would write: its repository-relative path, its bytes now and after. */
interface Planned {
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

/**
 * `baton init`: config, folders, `.gitignore` entries for per-machine state and a union merge
 * rule for the event log. Running it again changes nothing that is already right.
 */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  return init(options, true);
}

/** `retry`: whether losing the race to create the config may run once more against the winner's. */
async function init(options: InitOptions, retry: boolean): Promise<InitResult> {
  const root = path.resolve(options.dir);
  requireFolder(root);
  const { agents, unknown } = resolveAgentNames(options.agents ?? []);
  if (unknown.length > 0) {
    throw new BatonError(
      "INVALID_INPUT",
      `unknown agent ${unknown.map((u) => (u === "" ? '"" (an empty name)' : JSON.stringify(u))).join(", ")}`,
      `--agent takes one of ${AGENT_NAMES.join(", ")}, or all`,
    );
  }
  const dryRun = options.dryRun === true;
  const configFile = path.join(root, BATON_DIR, CONFIG_FILE);
  const guard = pathGuard(root);
  const exists = pathExists({ guard }, configFile);
  const requested = requestedConfig(options);
  let config: BatonConfig;
  if (exists) {
    config = loadConfig(root, guard);
    // Re-running the same init is a no-op; only flags that disagree with the file are refused.
    const differs = INIT_FLAGS.filter(
      (f) => options[f.option] !== undefined && f.get(requested) !== f.get(config),
    );
    if (differs.length > 0) {
      throw new BatonError(
        "STATE_CONFLICT",
        `${BATON_DIR}/${CONFIG_FILE} already exists with ${differs.map((f) => `${f.key}: ${f.get(config)}`).join(", ")}; init does not change settings`,
        `edit ${BATON_DIR}/${CONFIG_FILE} by hand to change them`,
      );
    }
  } else {
    config = requested;
  }
  const ws = workspaceAt(root, config, guard);
  setEventSource(ws, options.source ?? null);
  const sources = agents.length > 0 ? loadAgentSources() : null;
  const targets = sources ? agents.map((a) => agentTarget(a, sources)) : [];
  const notes = targets.flatMap((t) => t.notes);
  const warnings = mcpWarnings(root, targets);
  const configText = renderConfig(config);
  const configPlan: Planned[] = exists
    ? []
    : [{ path: `${BATON_DIR}/${CONFIG_FILE}`, file: configFile, before: null, after: configText }];
  // Everything is planned before anything is written: a corrupt config refuses the whole run.
  const first = [...configPlan, ...planFiles(ws, targets)];
  const result = (plan: Planned[], written: string[]): InitResult => ({
    root,
    created: !exists,
    config,
    written,
    removed: dryRun ? [] : plan.filter((p) => actionOf(p) === "remove").map((p) => p.path),
    dry_run: dryRun,
    agents,
    files: plan.map((p) => ({ path: p.path, action: actionOf(p) })),
    notes: [
      ...notes,
      ...plan
        .filter((p) => p.skipped)
        .map((p) => `${p.path} exists and was not written by baton init; left alone`),
    ],
    warnings,
  });
  if (dryRun) return result(first, []);

  const written: string[] = [];
  if (!exists) {
    // Another init may be creating the config right now with other settings: exactly one of
    // them creates it, and the other runs again as a re-run against the winner's config, which
    // refuses settings that differ instead of pretending they took effect.
    if (createNewFile(ws, configText, [configFile]) === null) {
      if (!retry) throw raceError();
      return init(options, false);
    }
    written.push(`${BATON_DIR}/${CONFIG_FILE}`);
  }
  let plan: Planned[] = first;
  await withWorkspaceLock(ws, () => {
    for (const dir of [
      ws.paths.knowledge,
      ws.paths.sessions,
      ws.paths.topics,
      ws.paths.planning,
      ws.paths.tickets,
      ws.paths.archive,
    ]) {
      makeDir(ws, dir);
    }
    // Planned again under the lock, so a file changed meanwhile is merged, not overwritten.
    plan = [...configPlan, ...planFiles(ws, targets)];
    for (const p of plan.slice(configPlan.length)) {
      const action = actionOf(p);
      if (action === "remove") {
        removeFile(ws, p.file);
        continue;
      }
      if (action !== "create" && action !== "update") continue;
      writeText(ws, p.file, p.after as string);
      written.push(p.path);
    }
    if (!exists)
      recordEvent(ws, "workspace.initialized", (options.now ?? new Date()).toISOString(), {
        knowledge_dir: config.workflow.knowledgeDir,
      });
  });
  return result(plan, written);
}

/**
 * The agents' MCP configs start the server as `npx --no baton mcp`, which runs only a Baton
 * installed in the project or globally: without one, the agent's server fails to start and the
 * agent says little about why. init says so now, with what to install.
 */
function mcpWarnings(root: string, targets: readonly AgentTarget[]): string[] {
  const registering = targets
    .filter((t) => t.outputs.some((o) => o.kind === "json"))
    .map((t) => t.agent);
  if (registering.length === 0 || findNpxBaton(root) !== null) return [];
  return [
    `${registering.join(", ")} ${registering.length === 1 ? "starts" : "start"} Baton's MCP server as ${MCP_COMMAND_LINE}, which will not start here: Baton is not installed in this project (node_modules/.bin/baton) nor globally; install this Baton with npm install --save-dev ${batonPackageRoot()} (or npm install --global ${batonPackageRoot()}; the npm package of that name is another project)`,
  ];
}

/** The folder of the Baton running now (its package.json and dist/), to install it from. */
function batonPackageRoot(): string {
  try {
    return path.dirname(agentsSourceDir());
  } catch {
    return "<the Baton package or its folder>";
  }
}

function actionOf(p: Planned): FileAction {
  if (p.skipped) return "skipped";
  if (p.after === null) return "remove";
  if (p.before === null) return "create";
  return p.before === p.after ? "unchanged" : "update";
}

function raceError(): BatonError {
  return new BatonError(
    "STATE_CONFLICT",
    `${BATON_DIR}/${CONFIG_FILE} appeared and vanished while baton init was creating it`,
    "another process is creating and removing the workspace; wait for it, then run baton init again",
  );
}

/** Every file init keeps besides the config, in the order they are written. */
function planFiles(ws: Workspace, targets: readonly AgentTarget[]): Planned[] {
  const root = ws.root;
  const out: Planned[] = [];
  const ignore = [
    `/${BATON_DIR}/.lock*`,
    `/${BATON_DIR}/.writing`,
    `/${BATON_DIR}/cache/`,
    `/${ws.rel(path.join(ws.paths.planning, ".active"))}`,
    "*.baton-tmp-*",
  ];
  for (const [name, lines] of [
    [".gitignore", ignore],
    [
      ".gitattributes",
      [`/${BATON_DIR}/events.jsonl merge=union`, `/${ws.rel(ws.paths.indexLog)} merge=union`],
    ],
  ] as const) {
    const file = path.join(root, name);
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
    const file = path.join(root, ...o.path.split("/"));
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
    out.push({ path: rel, file: path.join(root, ...rel.split("/")), before: text, after: null });
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
    const dir = path.join(ws.root, ...rel.split("/"));
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
      const text = readTextOrNull(ws, path.join(dir, entry.name));
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
      `add this entry under "${o.key}" in ${o.path} by hand, then run baton init again: ${entry}`,
    );
  }
  const why: Record<Exclude<JsonEntryRefusal, "jsonc-change">, string> = {
    "not-json": o.syntax === "jsonc" ? "is not valid JSON with comments" : "is not valid JSON",
    "not-object": "is not a JSON object",
    "section-not-object": `has a "${o.key}" that is not an object`,
  };
  throw new BatonError(
    "CORRUPT_FILE",
    `${o.path} ${why[merged.refusal]}; baton init wrote nothing`,
    `fix ${o.path}${o.syntax === "json" ? " (comments are not JSON)" : ""}, or add this entry under "${o.key}" by hand: ${entry}`,
  );
}

/** The init flags, the config key each sets, and how to read that key back. */
const INIT_FLAGS = [
  {
    option: "knowledgeDir",
    flag: "--knowledge-dir",
    key: "workflow.knowledgeDir",
    get: (c: BatonConfig) => c.workflow.knowledgeDir,
  },
  {
    option: "planningDir",
    flag: "--planning-dir",
    key: "planning.dir",
    get: (c: BatonConfig) => c.planning.dir,
  },
  {
    option: "archiveDir",
    flag: "--archive-dir",
    key: "journal.archiveDir",
    get: (c: BatonConfig) => c.journal.archiveDir,
  },
  {
    option: "ticketPrefix",
    flag: "--prefix",
    key: "tickets.prefix",
    get: (c: BatonConfig) => c.tickets.prefix,
  },
] as const;

/**
 * The config the flags ask for, validated like a hand-written one. A bad flag is the caller's
 * input (INVALID_INPUT, exit 2, hint naming the flag), not bad data on disk (CONFIG_INVALID).
 */
function requestedConfig(options: InitOptions): BatonConfig {
  const base = defaultConfig();
  try {
    return resolveConfig(
      {
        schema_version: SCHEMA_VERSION,
        workflow: { knowledgeDir: options.knowledgeDir ?? base.workflow.knowledgeDir },
        planning: { dir: options.planningDir ?? base.planning.dir },
        journal: {
          file: base.journal.file,
          archiveDir: options.archiveDir ?? base.journal.archiveDir,
        },
        tickets: { prefix: options.ticketPrefix ?? base.tickets.prefix, dir: base.tickets.dir },
      },
      "init options",
    );
  } catch (error) {
    if (!(error instanceof BatonError) || error.code !== "CONFIG_INVALID") throw error;
    const flag = INIT_FLAGS.find((f) => error.message.includes(f.key))?.flag ?? "the init flags";
    throw new BatonError(
      "INVALID_INPUT",
      error.message.replace(/^init options: /, ""),
      `fix the value of ${flag}: a relative path inside the repository, or a prefix such as BTN`,
    );
  }
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
  const spelled = path.join(ws.root, ...name.split("/"));
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
