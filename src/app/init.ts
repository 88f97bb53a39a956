import fs from "node:fs";
import path from "node:path";
import { upsertAgentsBlock } from "../core/agents-block.ts";
import { type BatonConfig, defaultConfig, renderConfig, resolveConfig } from "../core/config.ts";
import { BatonError } from "../core/errors.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { writeFileAtomic } from "../store/atomic.ts";
import { recordEvent } from "../store/events.ts";
import { readTextOrNull } from "../store/files.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { BATON_DIR, CONFIG_FILE, loadConfig, workspaceAt } from "../store/workspace.ts";

export interface InitOptions {
  dir: string;
  knowledgeDir?: string | undefined;
  planningDir?: string | undefined;
  archiveDir?: string | undefined;
  ticketPrefix?: string | undefined;
  now?: Date;
}

export interface InitResult {
  root: string;
  created: boolean;
  config: BatonConfig;
  written: string[];
}

const BLOCK_START = "# >>> baton (managed: per-machine state) >>>";
const BLOCK_END = "# <<< baton <<<";

/**
 * `baton init`: config, folders, `.gitignore` entries for per-machine state and a union merge
 * rule for the event log. Running it again changes nothing that is already right.
 */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  const root = path.resolve(options.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `folder ${root} does not exist`,
      "create it first or pass an existing folder with -C",
    );
  }
  const configFile = path.join(root, BATON_DIR, CONFIG_FILE);
  const exists = fs.existsSync(configFile);
  const requested = requestedConfig(options);
  const written: string[] = [];
  let config: BatonConfig;
  if (exists) {
    config = loadConfig(root);
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
    writeFileAtomic(configFile, renderConfig(config));
    written.push(`${BATON_DIR}/${CONFIG_FILE}`);
  }
  const ws = workspaceAt(root, config);
  await withWorkspaceLock(ws, () => {
    for (const dir of [
      ws.paths.knowledge,
      ws.paths.sessions,
      ws.paths.topics,
      ws.paths.planning,
      ws.paths.tickets,
      ws.paths.archive,
    ]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    const ignore = [
      `/${BATON_DIR}/.lock*`,
      `/${BATON_DIR}/.writing`,
      `/${BATON_DIR}/cache/`,
      `/${ws.rel(path.join(ws.paths.planning, ".active"))}`,
      "*.baton-tmp-*",
    ];
    if (upsertManagedBlock(path.join(root, ".gitignore"), ignore)) written.push(".gitignore");
    if (
      upsertManagedBlock(path.join(root, ".gitattributes"), [
        `/${BATON_DIR}/events.jsonl merge=union`,
      ])
    ) {
      written.push(".gitattributes");
    }
    for (const name of AGENT_INSTRUCTION_FILES) {
      if (upsertAgentInstructions(root, name)) written.push(name);
    }
    if (!exists)
      recordEvent(ws, "workspace.initialized", (options.now ?? new Date()).toISOString(), {
        knowledge_dir: config.workflow.knowledgeDir,
      });
  });
  return { root, created: !exists, config, written };
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
 * Files agents read at the start of a conversation. AGENTS.md is created when missing; CLAUDE.md
 * is only updated when the repository already has one.
 */
const AGENT_INSTRUCTION_FILES = ["AGENTS.md", "CLAUDE.md"] as const;

/**
 * Keeps Baton's block (run `baton resume` first…) in one agent instruction file, every line
 * outside its markers left alone. A symbolic link (CLAUDE.md pointing at AGENTS.md is common)
 * is written through when it points inside the repository, never replaced; one pointing
 * elsewhere, or nowhere, is left alone.
 */
function upsertAgentInstructions(root: string, name: (typeof AGENT_INSTRUCTION_FILES)[number]) {
  let file = path.join(root, name);
  let stat: fs.Stats | null = null;
  try {
    stat = fs.lstatSync(file);
  } catch {
    // Missing.
  }
  if (stat === null && name !== "AGENTS.md") return false;
  if (stat?.isSymbolicLink()) {
    try {
      file = fs.realpathSync(file);
    } catch {
      return false;
    }
    const inside = path.relative(fs.realpathSync(root), file);
    if (inside.startsWith("..") || path.isAbsolute(inside)) return false;
  }
  if (stat !== null && !fs.statSync(file).isFile()) return false;
  const before = readTextOrNull(file);
  const after = upsertAgentsBlock(before);
  if (after === before) return false;
  writeFileAtomic(file, after);
  return true;
}

/** Writes Baton's lines between markers, leaving every other line of the file alone. */
function upsertManagedBlock(file: string, lines: string[]): boolean {
  const before = readTextOrNull(file) ?? "";
  const block = `${BLOCK_START}\n${lines.join("\n")}\n${BLOCK_END}\n`;
  const start = before.indexOf(BLOCK_START);
  const end = before.indexOf(BLOCK_END);
  let after: string;
  if (start !== -1 && end > start) {
    after =
      before.slice(0, start) + block + before.slice(end + BLOCK_END.length).replace(/^\n/, "");
  } else {
    const sep = before === "" || before.endsWith("\n") ? "" : "\n";
    after = `${before}${sep}${before === "" ? "" : "\n"}${block}`;
  }
  if (after === before) return false;
  writeFileAtomic(file, after);
  return true;
}
