import {
  AGENT_NAMES,
  type AgentName,
  type AgentTarget,
  agentTarget,
  MCP_COMMAND_LINE,
  resolveAgentNames,
} from "../../core/agent-targets.ts";
import { cmd } from "../../core/command-ref.ts";
import { type BatonConfig, defaultConfig, renderConfig, resolveConfig } from "../../core/config.ts";
import { BatonError } from "../../core/errors.ts";
import { MERGE_DRIVER_COMMAND, MERGE_DRIVER_NAME } from "../../core/merge.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { recordEvent, setEventSource } from "../../store/events.ts";
import { createNewFile, exists as pathExists, removeFile, writeText } from "../../store/files.ts";
import { insideGitRepository, localGitConfig, setLocalGitConfig } from "../../store/git.ts";
import { pathGuard } from "../../store/guard.ts";
import { findNpxBaton } from "../../store/installed.ts";
import { packageRoot } from "../../store/package-files.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import {
  BATON_DIR,
  CONFIG_FILE,
  configFile as configFileOf,
  loadConfig,
  MERGE_DRIVER,
  makeWorkspaceFolders,
  requireFolder,
  resolveFolder,
  workspaceAt,
} from "../../store/workspace.ts";
import { loadAgentSources } from "../agent-sources.ts";
import { defineOperation } from "../operation.ts";
import { actionOf, type FileAction, type Planned, planFiles } from "./init-files.ts";

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
  /**
   * Baton's merge driver in the repository's `.git/config` (per clone: every clone runs init
   * once): created, updated or unchanged (with `--dry-run`: what init would do); null outside
   * a git repository.
   */
  merge_driver: "create" | "update" | "unchanged" | null;
}

/**
 * `baton init`: config, folders, `.gitignore` entries for per-machine state and a union merge
 * rule for the event log. Running it again changes nothing that is already right.
 */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  return init(options, true);
}

export const initOperation = defineOperation({
  name: "init",
  summary: "create a Baton workspace here (config, folders, .gitignore entries, agent files)",
  description:
    "Creates .baton/config.yaml and the folders it names, and adds per-machine state to .gitignore. With --agent it installs the files that agent reads (commands, a skill or rules, MCP registration) from the agents/ folder that ships with Baton. Safe to run again: it updates only what Baton manages, removes the files it installed that are no longer part of the set, and leaves your own lines and files alone.",
  examples: [
    "baton init",
    "baton init --knowledge-dir .tf/knowledge --archive-dir .plans/archive",
    "baton -C ../other-repo init --json",
    "baton init --agent claude --agent cursor",
    "baton init --agent all --dry-run",
  ],
  access: "write",
  input: {
    knowledge_dir: {
      type: "string",
      description: "where topics and sessions live (default .baton/knowledge)",
      cli: { value: "<path>" },
    },
    planning_dir: {
      type: "string",
      description: "where spec planning folders live (default .baton/planning)",
      cli: { value: "<path>" },
    },
    archive_dir: {
      type: "string",
      description: "where journal archives go (default .baton/archive)",
      cli: { value: "<path>" },
    },
    prefix: {
      type: "string",
      description: "ticket id prefix (default BTN)",
      cli: { value: "<PREFIX>" },
    },
    agent: {
      type: "strings",
      description: `install an agent's files; repeatable, or all (${AGENT_NAMES.join(", ")})`,
      cli: { value: "<name>" },
    },
    dry_run: {
      type: "boolean",
      description: "list the files init would write or remove, and change nothing",
    },
  },
  tool: false,
  withoutTool: "it creates the workspace the server runs in",
  run: (env, input): Promise<InitResult> =>
    initWorkspace({
      dir: env.cwd,
      knowledgeDir: input.knowledge_dir,
      planningDir: input.planning_dir,
      archiveDir: input.archive_dir,
      ticketPrefix: input.prefix,
      agents: input.agent,
      dryRun: input.dry_run === true,
      source: "baton init",
    }),
});

/** `retry`: whether losing the race to create the config may run once more against the winner's. */
async function init(options: InitOptions, retry: boolean): Promise<InitResult> {
  const root = resolveFolder(options.dir);
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
  const configFile = configFileOf(root);
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
  const driver = mergeDriverAction(root);
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
    merge_driver: driver,
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
    makeWorkspaceFolders(ws);
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
  // After the files, outside the transaction: .git/config is git's, and setting a key twice
  // changes nothing.
  if (driver === "create" || driver === "update") {
    setLocalGitConfig(root, {
      [`merge.${MERGE_DRIVER}.name`]: MERGE_DRIVER_NAME,
      [`merge.${MERGE_DRIVER}.driver`]: MERGE_DRIVER_COMMAND,
    });
  }
  return result(plan, written);
}

/** What registering the merge driver in `.git/config` takes; null outside a repository. */
function mergeDriverAction(root: string): InitResult["merge_driver"] {
  if (!insideGitRepository(root)) return null;
  const now = localGitConfig(root, `merge.${MERGE_DRIVER}.driver`);
  if (now === MERGE_DRIVER_COMMAND) return "unchanged";
  return now === null ? "create" : "update";
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
    return packageRoot();
  } catch {
    return "<the Baton package or its folder>";
  }
}

function raceError(): BatonError {
  return new BatonError(
    "STATE_CONFLICT",
    `${BATON_DIR}/${CONFIG_FILE} appeared and vanished while baton init was creating it`,
    `another process is creating and removing the workspace; wait for it, then run ${cmd("init")} again`,
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
