import { initWorkspace } from "../../app/init.ts";
import { workspaceStatus } from "../../app/status.ts";
import { AGENT_NAMES } from "../../core/agent-targets.ts";
import { defineCommand } from "../spec.ts";

export const initCommand = defineCommand({
  path: ["init"],
  summary: "create a Baton workspace here (config, folders, .gitignore entries, agent files)",
  description:
    "Creates .baton/config.yaml and the folders it names, and adds per-machine state to .gitignore. With --agent it installs the files that agent reads (commands, a skill or rules, MCP registration) from the agents/ folder that ships with Baton. Safe to run again: it updates only what Baton manages, removes the files it installed that are no longer part of the set, and leaves your own lines and files alone.",
  options: [
    {
      name: "knowledge-dir",
      type: "string",
      value: "<path>",
      description: "where topics and sessions live (default .baton/knowledge)",
    },
    {
      name: "planning-dir",
      type: "string",
      value: "<path>",
      description: "where spec planning folders live (default .baton/planning)",
    },
    {
      name: "archive-dir",
      type: "string",
      value: "<path>",
      description: "where journal archives go (default .baton/archive)",
    },
    {
      name: "prefix",
      type: "string",
      value: "<PREFIX>",
      description: "ticket id prefix (default BTN)",
    },
    {
      name: "agent",
      type: "string",
      multiple: true,
      value: "<name>",
      description: `install an agent's files; repeatable, or all (${AGENT_NAMES.join(", ")})`,
    },
    {
      name: "dry-run",
      type: "boolean",
      description: "list the files init would write or remove, and change nothing",
    },
  ],
  examples: [
    "baton init",
    "baton init --knowledge-dir .tf/knowledge --archive-dir .plans/archive",
    "baton -C ../other-repo init --json",
    "baton init --agent claude --agent cursor",
    "baton init --agent all --dry-run",
  ],
  run: (inv) =>
    initWorkspace({
      dir: inv.flags.cwd,
      knowledgeDir: inv.options["knowledge-dir"] as string | undefined,
      planningDir: inv.options["planning-dir"] as string | undefined,
      archiveDir: inv.options["archive-dir"] as string | undefined,
      ticketPrefix: inv.options.prefix as string | undefined,
      agents: inv.options.agent as string[] | undefined,
      dryRun: inv.options["dry-run"] === true,
      source: "baton init",
    }),
  render: (r) => {
    if (r.dry_run) {
      const lines = [
        `Dry run: baton init would ${r.created ? "create" : "update"} the workspace in ${r.root}`,
        ...r.files.map((f) => `  ${f.action.padEnd(9)} ${f.path}`),
        ...r.notes.map((n) => `note: ${n}`),
        ...r.warnings.map((w) => `warning: ${w}`),
        "Nothing was written.",
      ];
      return lines.join("\n");
    }
    return [
      r.created
        ? `Initialised Baton workspace in ${r.root}`
        : `Baton workspace already initialised in ${r.root}`,
      `  knowledge: ${r.config.workflow.knowledgeDir}`,
      `  tickets:   ${r.config.tickets.dir} (prefix ${r.config.tickets.prefix})`,
      ...(r.agents.length > 0 ? [`  agents:    ${r.agents.join(", ")}`] : []),
      ...(r.written.length > 0 ? [`  wrote:     ${r.written.join(", ")}`] : []),
      ...(r.removed.length > 0 ? [`  removed:   ${r.removed.join(", ")} (obsolete)`] : []),
      ...r.notes.map((n) => `note: ${n}`),
      ...r.warnings.map((w) => `warning: ${w}`),
      r.created ? 'Next: baton seed "<your idea>"' : "",
    ]
      .filter(Boolean)
      .join("\n");
  },
});

export const statusCommand = defineCommand({
  path: ["status"],
  summary: "the active planning session, its artifacts and what to do next",
  examples: ["baton status", "baton status --json"],
  run: (inv) => workspaceStatus(inv.context()),
  render: (r) => {
    const lines = [`Workspace: ${r.workspace}`];
    const s = r.session;
    if (!s) {
      lines.push("Planning session: none active");
    } else {
      lines.push(`Planning session: ${s.session_id} (${s.state})`);
      lines.push(`  root seed: ${s.root_seed}`);
      lines.push(`  spikes:    ${s.spikes.length > 0 ? s.spikes.join(", ") : "none"}`);
      lines.push(
        `  plan:      ${s.plan ?? "none"}${r.plan_tasks !== null ? ` (${r.plan_tasks} tasks)` : ""}`,
      );
    }
    lines.push(
      `Spec: ${r.spec ? `${r.spec.name} (${r.spec.stage}${r.spec.changed_since_approval ? ", changed since approval: approve again" : ""}${r.spec.last_known_branch ? `, branch ${r.spec.last_known_branch}` : ""})` : "none active"}`,
    );
    lines.push("Next steps:");
    for (const step of r.next_steps) lines.push(`  - ${step}`);
    return lines.join("\n");
  },
});
