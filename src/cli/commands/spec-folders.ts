import {
  activateSpec,
  deactivateSpec,
  listSpecs,
  migrateSpecs,
  type NoSpecStatus,
  type SpecListResult,
  type SpecStatusReport,
  setupSpec,
  specStatus,
  type TaskTreeNode,
  updateBranch,
} from "../../app/spec-folders.ts";
import { BatonError } from "../../core/errors.ts";
import { formatProgress } from "../../core/spec/tasks-md.ts";
import { escapeControls } from "../../core/text.ts";
import { type CommandSpec, defineCommand, type Invocation } from "../spec.ts";
import { table } from "../style.ts";
import { writeAll } from "../write.ts";

function stringOption(inv: Invocation, name: string): string | undefined {
  const value = inv.options[name];
  return typeof value === "string" ? value : undefined;
}

function requiredOption(inv: Invocation, name: string, usage: string): string {
  const value = stringOption(inv, name);
  if (value === undefined || value === "") {
    throw new BatonError("USAGE", `--${name} is required`, usage);
  }
  return value;
}

const SPEC_NAME_OPTION = {
  name: "spec",
  type: "string",
  value: "<name>",
  description: "the spec's name (default: the active spec)",
} as const;

const setupCommand = defineCommand({
  path: ["spec", "setup"],
  summary: "create a spec's planning folder and status.yaml from its file or folder",
  description:
    "A spec file is named by its YAML frontmatter `name`; a spec folder (Kiro .kiro/specs/<name>/, Spec Kit specs/NNN-<name>/, an OpenSpec change openspec/changes/<id>/, or any folder) by the folder's name, Spec Kit's number included. Writes {planning.dir}/<name>/status.yaml (stage draft, no branch hint) and makes the spec the active one when none is. Running it again changes nothing.",
  options: [
    {
      name: "spec",
      type: "string",
      value: "<path>",
      description: "the spec file (with frontmatter name) or spec folder",
    },
  ],
  examples: [
    "baton spec setup --spec .kiro/specs/user-auth",
    "baton spec setup --spec specs/001-user-auth --json",
    "baton spec setup --spec openspec/changes/add-2fa",
    "baton spec setup --spec docs/specs/billing.md",
  ],
  run: (inv) => {
    const spec = requiredOption(inv, "spec", "baton spec setup --spec <file-or-folder>");
    return setupSpec(inv.context(), inv.flags.cwd, spec);
  },
  render: (r) =>
    r.changed
      ? [
          `Set up spec ${r.name} (${r.stage}) from ${r.spec} [${r.layout}]`,
          ...(r.written_name
            ? [`  name:   ${r.name} (written ${JSON.stringify(r.written_name)})`]
            : []),
          `  status: ${r.status_file}`,
          r.activated
            ? `Active spec: ${r.name} (none was active)`
            : `Next: baton spec activate ${r.name}`,
        ].join("\n")
      : `Spec ${r.name} is already set up from ${r.spec} (${r.status_file}); nothing changed.`,
});

const activateCommand = defineCommand({
  path: ["spec", "activate"],
  summary: "make a spec the active one on this machine",
  description:
    "The active spec is kept in {planning.dir}/.active, which is per machine (baton init gitignores it). Commands that take --spec default to it.",
  positionals: [{ name: "name", required: true, description: "the spec's name, e.g. user-auth" }],
  examples: ["baton spec activate user-auth", "baton planning activate user-auth --json"],
  run: (inv) => {
    const [name] = inv.positionals;
    if (name === undefined || inv.positionals.length > 1) {
      throw new BatonError(
        "USAGE",
        "expected exactly one spec name",
        "baton spec activate <name> (names: baton spec list)",
      );
    }
    return activateSpec(inv.context(), name);
  },
  render: (r) =>
    r.changed
      ? `Active spec: ${r.name}${r.previous ? ` (was ${r.previous})` : ""}`
      : `Spec ${r.name} is already active; nothing changed.`,
});

const deactivateCommand = defineCommand({
  path: ["spec", "deactivate"],
  summary: "clear the active spec on this machine",
  examples: ["baton spec deactivate", "baton spec deactivate --json"],
  run: (inv) => deactivateSpec(inv.context()),
  render: (r) =>
    r.changed ? `No active spec (was ${r.previous}).` : "No spec was active; nothing changed.",
});

const statusCommand = defineCommand({
  path: ["spec", "status"],
  summary: "a spec's stage, branch hint, task progress and git facts",
  description:
    "Without --spec: the active spec, else the only spec when there is exactly one, else none (exit 0; --json gives {spec: null, specs: [names]}). Progress counts required tasks (not marked optional) and names the optional ones apart: 21/23 required done (91%), 14 optional. Facts for judging branches, never a decision: the current branch, whether the hinted branch (last_known_branch) exists locally and on remotes (as of the last fetch), ahead/behind the default branch (origin/HEAD, else main, master or trunk; the source is given), uncommitted changes and the worktree. Baton never switches, creates or merges branches. Reading an approved spec whose documents changed moves it back to in_review.",
  options: [SPEC_NAME_OPTION],
  examples: [
    "baton spec status",
    "baton spec status --spec user-auth --json",
    "baton planning status --json",
  ],
  run: (inv) => specStatus(inv.context(), stringOption(inv, "spec")),
  render: renderStatus,
});

const updateBranchCommand = defineCommand({
  path: ["spec", "update-branch"],
  summary: "record the branch a spec is worked on (a hint; null clears it)",
  description:
    "Records the agent's decision in status.yaml's last_known_branch. The branch need not exist yet, and several specs may share one. Baton does not touch git.",
  options: [
    SPEC_NAME_OPTION,
    {
      name: "branch",
      type: "string",
      value: "<branch|null>",
      description: "the branch name, or null to clear the hint",
    },
  ],
  examples: [
    "baton spec update-branch --spec user-auth --branch feature/user-auth",
    "baton spec update-branch --branch feature/user-auth --json",
    "baton spec update-branch --spec user-auth --branch null",
  ],
  run: (inv) =>
    updateBranch(
      inv.context(),
      stringOption(inv, "spec"),
      requiredOption(
        inv,
        "branch",
        "baton spec update-branch --spec <name> --branch <branch|null>",
      ),
    ),
  render: (r) =>
    r.changed
      ? `Spec ${r.name}: branch hint ${r.previous ?? "none"} -> ${r.last_known_branch ?? "none"}`
      : `Spec ${r.name}: branch hint is already ${r.last_known_branch ?? "none"}; nothing changed.`,
});

const listCommand = defineCommand({
  path: ["spec", "list"],
  summary: "every spec: name, stage, branch hint, spec path; * marks the active one",
  examples: ["baton spec list", "baton spec list --json"],
  run: (inv) => listSpecs(inv.context()),
  render: renderList,
});

const switchCommand = defineCommand({
  path: ["spec", "switch"],
  summary: "pick the active spec from a numbered list (interactive, on a terminal)",
  description:
    "Shows the specs on stderr and reads a number (or a name) from the terminal; Enter cancels. Without a terminal (an agent, a pipe) it refuses: use baton spec activate <name>.",
  examples: ["baton spec switch", "baton planning switch"],
  run: async (inv) => {
    const tty = process.getBuiltinModule("node:tty");
    if (!tty.isatty(0)) {
      throw new BatonError(
        "USAGE",
        "baton spec switch asks on a terminal, and stdin is not one",
        "use baton spec activate <name> instead (names: baton spec list)",
      );
    }
    const ctx = inv.context();
    const list = await listSpecs(ctx);
    if (list.specs.length === 0) {
      throw new BatonError(
        "SPEC_NOT_FOUND",
        "there are no specs to switch to",
        "set one up first: baton spec setup --spec <file-or-folder>",
      );
    }
    const width = String(list.specs.length).length;
    const menu = list.specs.map(
      (s, i) =>
        `  ${String(i + 1).padStart(width)}) ${s.active ? "*" : " "} ${s.name}  ${s.stage}  ${s.last_known_branch ?? "-"}`,
    );
    writeAll(2, escapeControls(`Specs (* = active):\n${menu.join("\n")}\n`));
    const answer = await ask(`Switch to [1-${list.specs.length}, or a name] (Enter cancels): `);
    if (answer === "")
      return { name: null, previous: list.active, changed: false, cancelled: true };
    const byNumber = /^\d+$/.test(answer) ? list.specs[Number(answer) - 1] : undefined;
    const chosen = byNumber ?? list.specs.find((s) => s.name === answer);
    if (!chosen) {
      throw new BatonError(
        "USAGE",
        `${JSON.stringify(answer.slice(0, 80))} is not one of the choices`,
        `run baton spec switch again and type a number from 1 to ${list.specs.length}`,
      );
    }
    const result = await activateSpec(ctx, chosen.name);
    return { ...result, cancelled: false };
  },
  render: (r: {
    name: string | null;
    previous: string | null;
    changed: boolean;
    cancelled: boolean;
  }) =>
    r.cancelled
      ? "Cancelled; the active spec is unchanged."
      : r.changed
        ? `Active spec: ${r.name}${r.previous ? ` (was ${r.previous})` : ""}`
        : `Spec ${r.name} is already active; nothing changed.`,
});

/** One line from the terminal; readline is loaded only here, on a terminal. */
async function ask(prompt: string): Promise<string> {
  const readline = process.getBuiltinModule("node:readline/promises");
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C or Ctrl-D cancels, like an empty answer.
  const closed = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
  rl.once("SIGINT", () => rl.close());
  try {
    return (await Promise.race([rl.question(prompt), closed])).trim();
  } finally {
    rl.close();
  }
}

const migrateCommand = defineCommand({
  path: ["spec", "migrate"],
  summary: "rename planning folders named after branches to their spec's name",
  description:
    "Moves each {planning.dir}/<folder>/ whose status.yaml names another spec to {planning.dir}/<name>/, updates a spec path inside the moved folder and .active if it named a moved folder. A status.yaml of the legacy layout ({planning.dir}/<branch>/status.yaml holding name, spec and branch, no schema_version) is upgraded on the way: branch becomes last_known_branch (a hint), with a stage (draft unless it named a valid one) and schema_version 1; fields with no place in the new file are listed and the old text is kept as status.legacy.yaml. Collisions are reported and nothing is moved; everything is checked before the first rename.",
  options: [
    { name: "dry-run", type: "boolean", description: "list what would move, change nothing" },
  ],
  examples: ["baton spec migrate --dry-run", "baton spec migrate", "baton spec migrate --json"],
  run: (inv) => migrateSpecs(inv.context(), inv.options["dry-run"] === true),
  render: (r) => {
    if (r.moves.length === 0)
      return "Nothing to migrate: every planning folder is named after its spec.";
    const lines = [r.dry_run ? "Would migrate (dry run, nothing changed):" : "Migrated:"];
    for (const m of r.moves) {
      const upgraded = m.legacy ? " (status.yaml upgraded from the branch-folder layout)" : "";
      lines.push(
        m.from === m.to
          ? m.written_name === null
            ? `  ${m.to}${upgraded}`
            : `  ${m.to} (name ${JSON.stringify(m.written_name)} -> ${m.name})${upgraded}`
          : `  ${m.from} -> ${m.to}${upgraded}`,
      );
      if (m.dropped_fields.length > 0)
        lines.push(
          `    fields with no place in today's status.yaml: ${m.dropped_fields.join(", ")}; the old text is kept in ${m.kept_original}`,
        );
      if (m.spec_path) lines.push(`    spec: ${m.spec_path.from} -> ${m.spec_path.to}`);
    }
    if (r.active) lines.push(`  active spec: ${r.active.from} -> ${r.active.to}`);
    return lines.join("\n");
  },
});

function renderList(r: SpecListResult): string {
  const lines: string[] = [];
  if (r.specs.length === 0) {
    lines.push("No specs. Set one up: baton spec setup --spec <file-or-folder>");
  } else {
    lines.push(
      table([
        ["", "NAME", "STAGE", "BRANCH", "SPEC"],
        ...r.specs.map((s) => [
          s.active ? "*" : " ",
          s.name,
          s.stage,
          s.last_known_branch ?? "-",
          s.spec,
        ]),
      ]),
    );
  }
  for (const p of r.problems) lines.push(`! ${p.folder}: ${p.message} (hint: ${p.hint})`);
  return lines.join("\n");
}

function ab(x: { ahead: number; behind: number } | null, against: string): string {
  return x ? `${x.ahead} ahead, ${x.behind} behind ${against}` : `not comparable with ${against}`;
}

function renderStatus(r: SpecStatusReport | NoSpecStatus): string {
  if (r.spec === null) {
    return [
      "Active spec: none",
      r.specs.length > 0
        ? `  specs: ${r.specs.join(", ")} (activate one: baton spec activate <name>)`
        : "  no specs yet: baton spec new <name>, or baton spec setup --spec <file-or-folder>",
    ].join("\n");
  }
  const s = r.spec;
  const g = r.git;
  const p = r.progress;
  const lines = [
    `Spec ${s.name}${s.active ? " (active)" : r.selected === "only" ? " (the only spec; none is active)" : ""}: ${s.stage}${r.reopened ? " (reopened: documents changed after approval)" : ""}`,
    `  spec:     ${s.spec}`,
    `  folder:   ${s.folder}`,
    `  branch:   ${s.last_known_branch ?? "no hint yet"}`,
    r.tasks_file
      ? `  progress: ${formatProgress(p)} — ${r.tasks_file}`
      : "  progress: no tasks file",
  ];
  const next = firstOpen(r.tasks);
  if (next) lines.push(`  next:     ${next.id} ${next.title}`);
  if (g.unavailable) {
    lines.push(`Git: ${g.unavailable}`);
    return lines.join("\n");
  }
  const def = g.default_branch;
  const defName = def ? def.name : "the default branch";
  lines.push("Git:");
  lines.push(
    `  current:  ${g.detached ? `detached HEAD at ${g.head_commit?.slice(0, 12)}` : (g.current_branch ?? "-")}${g.has_commits ? "" : " (no commits yet)"}`,
  );
  lines.push(
    `  default:  ${def ? `${def.name} (${def.source === "origin/HEAD" ? "from origin/HEAD" : "guessed: first of main, master, trunk"}; compared with ${def.ref.replace(/^refs\/(heads|remotes)\//, "")})` : "unknown (no origin/HEAD, no main, master or trunk)"}`,
  );
  if (g.has_commits && def)
    lines.push(`            current is ${ab(g.current_vs_default, defName)}`);
  const h = g.hinted_branch;
  if (h) {
    const where = [
      h.exists_locally ? "exists locally" : "not local",
      h.on_remotes.length > 0 ? `on ${h.on_remotes.join(", ")}` : "on no remote",
    ];
    lines.push(`  hinted:   ${h.name}${h.is_current ? " (current)" : ""} — ${where.join(", ")}`);
    if (h.exists_locally || h.on_remotes.length > 0)
      lines.push(`            ${ab(h.vs_default, defName)}`);
    if (h.checked_out_elsewhere)
      lines.push(`            checked out in ${h.checked_out_elsewhere}`);
    if (h.other_specs.length > 0)
      lines.push(`            also the hint of: ${h.other_specs.join(", ")}`);
  }
  const u = g.uncommitted;
  if (u) {
    lines.push(
      u.total === 0
        ? "  changes:  none"
        : `  changes:  ${u.total} (${u.staged} staged, ${u.unstaged} unstaged, ${u.untracked} untracked${u.conflicted ? `, ${u.conflicted} conflicted` : ""})${u.baton_only ? " — only Baton's files" : ""}`,
    );
  }
  if (g.worktree) {
    lines.push(
      `  worktree: ${g.worktree.path}${g.worktree.linked ? " (linked)" : ""}${g.worktree.count > 1 ? `, ${g.worktree.count} worktrees` : ""}`,
    );
  }
  return lines.join("\n");
}

function firstOpen(nodes: readonly TaskTreeNode[]): TaskTreeNode | null {
  for (const node of nodes) {
    const below = firstOpen(node.children);
    if (below) return below;
    if (node.status !== "done" && !node.optional) return node;
  }
  return null;
}

/** `baton spec setup|activate|deactivate|status|list|update-branch|switch|migrate`. */
export const specFolderCommands: CommandSpec[] = [
  setupCommand,
  activateCommand,
  deactivateCommand,
  statusCommand,
  listCommand,
  updateBranchCommand,
  switchCommand,
  migrateCommand,
];
