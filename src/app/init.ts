import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import util from "node:util";
import {
  AGENT_NAMES,
  type AgentName,
  type AgentOutput,
  type AgentSources,
  agentTarget,
  type DocSource,
  isManagedFile,
  type PromptSource,
  resolveAgentNames,
} from "../core/agent-targets.ts";
import { upsertAgentsBlock } from "../core/agents-block.ts";
import { type BatonConfig, defaultConfig, renderConfig, resolveConfig } from "../core/config.ts";
import { BatonError } from "../core/errors.ts";
import { parseFrontmatter } from "../core/frontmatter.ts";
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
  /** `--agent`: agents whose files to install (`all` for every one). */
  agents?: string[] | undefined;
  /** `--dry-run`: report what would be written and write nothing. */
  dryRun?: boolean | undefined;
  now?: Date;
}

export type FileAction = "create" | "update" | "unchanged" | "skipped";

export interface InitResult {
  root: string;
  /** True when this run created the workspace (with `--dry-run`: would create it). */
  created: boolean;
  config: BatonConfig;
  /** Files written, in order; empty with `--dry-run`. */
  written: string[];
  dry_run: boolean;
  agents: AgentName[];
  /** Every file init manages and what it does (or, with `--dry-run`, would do) to it. */
  files: { path: string; action: FileAction }[];
  /** What the chosen agents need that init cannot write (user-level config). */
  notes: string[];
}

/** One file init would write: its repository-relative path, its bytes now and after. */
interface Planned {
  path: string;
  file: string;
  before: string | null;
  after: string;
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
  const root = path.resolve(options.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `folder ${root} does not exist`,
      "create it first or pass an existing folder with -C",
    );
  }
  const { agents, unknown } = resolveAgentNames(options.agents ?? []);
  if (unknown.length > 0) {
    throw new BatonError(
      "INVALID_INPUT",
      `unknown agent ${unknown.map((u) => JSON.stringify(u)).join(", ")}`,
      `--agent takes one of ${AGENT_NAMES.join(", ")}, or all`,
    );
  }
  const dryRun = options.dryRun === true;
  const configFile = path.join(root, BATON_DIR, CONFIG_FILE);
  const exists = fs.existsSync(configFile);
  const requested = requestedConfig(options);
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
  }
  const ws = workspaceAt(root, config);
  const sources = agents.length > 0 ? loadAgentSources() : null;
  const notes = sources ? agents.flatMap((a) => agentTarget(a, sources).notes) : [];
  const configPlan: Planned[] = exists
    ? []
    : [
        {
          path: `${BATON_DIR}/${CONFIG_FILE}`,
          file: configFile,
          before: null,
          after: renderConfig(config),
        },
      ];
  // Everything is planned before anything is written: a corrupt config refuses the whole run.
  const first = [...configPlan, ...planFiles(root, ws, agents, sources)];
  const result = (plan: Planned[], written: string[]): InitResult => ({
    root,
    created: !exists,
    config,
    written,
    dry_run: dryRun,
    agents,
    files: plan.map((p) => ({ path: p.path, action: actionOf(p) })),
    notes: [
      ...notes,
      ...plan
        .filter((p) => p.skipped)
        .map((p) => `${p.path} exists and was not written by baton init; left alone`),
    ],
  });
  if (dryRun) return result(first, []);

  const written: string[] = [];
  for (const p of configPlan) {
    writeFileAtomic(p.file, p.after);
    written.push(p.path);
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
      fs.mkdirSync(dir, { recursive: true });
    }
    // Planned again under the lock, so a file changed meanwhile is merged, not overwritten.
    plan = [...configPlan, ...planFiles(root, ws, agents, sources)];
    for (const p of plan.slice(configPlan.length)) {
      const action = actionOf(p);
      if (action !== "create" && action !== "update") continue;
      writeFileAtomic(p.file, p.after);
      written.push(p.path);
    }
    if (!exists)
      recordEvent(ws, "workspace.initialized", (options.now ?? new Date()).toISOString(), {
        knowledge_dir: config.workflow.knowledgeDir,
      });
  });
  return result(plan, written);
}

function actionOf(p: Planned): FileAction {
  if (p.skipped) return "skipped";
  if (p.before === null) return "create";
  return p.before === p.after ? "unchanged" : "update";
}

/** Every file init keeps besides the config, in the order they are written. */
function planFiles(
  root: string,
  ws: ReturnType<typeof workspaceAt>,
  agents: AgentName[],
  sources: AgentSources | null,
): Planned[] {
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
    [".gitattributes", [`/${BATON_DIR}/events.jsonl merge=union`]],
  ] as const) {
    const file = path.join(root, name);
    const before = readTextOrNull(file);
    out.push({ path: name, file, before, after: managedBlock(before ?? "", [...lines]) });
  }
  const outputs: AgentOutput[] = sources
    ? agents.flatMap((a) => agentTarget(a, sources).outputs)
    : [];
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
    const p = planInstructions(root, name, create.has(name), text);
    if (!p || seen.has(p.file)) continue;
    seen.add(p.file);
    out.push(p);
  }
  for (const o of outputs) {
    if (o.kind === "block") continue;
    const file = path.join(root, ...o.path.split("/"));
    const before = readTextOrNull(file);
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
      out.push({ path: o.path, file, before, after: mergeJson(o.path, before, o) });
    }
  }
  return out;
}

/**
 * `before` with `value` at `doc[key][name]`, every other key kept in its order. Returns `before`
 * itself when the value is already there. A file that is not a JSON object is refused: Baton
 * never rewrites what it cannot read.
 */
function mergeJson(
  rel: string,
  before: string | null,
  o: Extract<AgentOutput, { kind: "json" }>,
): string {
  let doc: Record<string, unknown> = {};
  const refuse = (why: string) =>
    new BatonError(
      "CORRUPT_FILE",
      `${rel} ${why}; baton init wrote nothing`,
      `fix ${rel} (comments are not JSON), or add the "${o.name}" entry under "${o.key}" by hand`,
    );
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (before !== null && before.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(before);
    } catch {
      throw refuse("is not valid JSON");
    }
    if (!isObject(parsed)) throw refuse("is not a JSON object");
    doc = parsed;
  }
  const section = doc[o.key] ?? {};
  if (!isObject(section)) throw refuse(`has a "${o.key}" that is not an object`);
  if (before !== null && util.isDeepStrictEqual(section[o.name], o.value)) return before;
  const indent = /^\{\r?\n([ \t]+)/.exec(before ?? "")?.[1] ?? 2;
  const merged = { ...doc, [o.key]: { ...section, [o.name]: o.value } };
  const eol = before?.includes("\r\n") ? "\r\n" : "\n";
  return `${JSON.stringify(merged, null, indent).replaceAll("\n", eol)}${eol}`;
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
 * repository, never replaced; one pointing elsewhere, or nowhere, is left alone.
 */
function planInstructions(
  root: string,
  name: string,
  create: boolean,
  text: string | undefined,
): Planned | null {
  let file = path.join(root, ...name.split("/"));
  let stat: fs.Stats | null = null;
  try {
    stat = fs.lstatSync(file);
  } catch {
    // Missing.
  }
  if (stat === null && !create) return null;
  if (stat?.isSymbolicLink()) {
    try {
      file = fs.realpathSync(file);
    } catch {
      return null;
    }
    const inside = path.relative(fs.realpathSync(root), file);
    if (inside.startsWith("..") || path.isAbsolute(inside)) return null;
  }
  if (stat !== null && !fs.statSync(file).isFile()) return null;
  const before = readTextOrNull(file);
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

/**
 * The folder `agents/` that ships with Baton (package.json "files"): found by walking up from
 * this module, which is `src/app/` when run from source and `dist/` in the bundled CLI (where
 * esbuild defines `import.meta.url` as the bundle's path).
 */
export function agentsSourceDir(): string {
  const here = import.meta.url;
  let dir = path.dirname(here.startsWith("file:") ? url.fileURLToPath(here) : here);
  for (;;) {
    const candidate = path.join(dir, "agents");
    if (fs.existsSync(path.join(candidate, "skills", "baton-planning", "SKILL.md")))
      return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new BatonError(
        "FILE_NOT_FOUND",
        "the agents/ folder that ships with Baton is missing",
        "reinstall Baton; its package includes agents/",
      );
    dir = parent;
  }
}

/** The one source of every agent file: the skill, the command prompts, the flows, the block. */
export function loadAgentSources(dir = agentsSourceDir()): AgentSources {
  const doc = (rel: string): { data: Record<string, unknown>; body: string } => {
    const text = fs.readFileSync(path.join(dir, rel), "utf8");
    const parsed = parseFrontmatter(text, `agents/${rel}`);
    return { data: parsed.data ?? {}, body: parsed.body };
  };
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const names = (sub: string) =>
    fs
      .readdirSync(path.join(dir, sub))
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => f.slice(0, -3));
  const skill = doc("skills/baton-planning/SKILL.md");
  const commands = names("commands").map((name): PromptSource => {
    const d = doc(`commands/${name}.md`);
    return {
      name,
      description: str(d.data.description),
      argumentHint: str(d.data["argument-hint"]),
      body: d.body,
    };
  });
  const flows = names("flows").map((name): DocSource => {
    const d = doc(`flows/${name}.md`);
    return { name: str(d.data.name) || name, description: str(d.data.description), body: d.body };
  });
  return {
    skill: {
      name: str(skill.data.name) || "baton-planning",
      description: str(skill.data.description),
      body: skill.body,
    },
    commands,
    flows,
    block: fs.readFileSync(path.join(dir, "blocks", "agents-md.md"), "utf8"),
  };
}
