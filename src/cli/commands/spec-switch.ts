import { activateSpec } from "../../app/specs/activate.ts";
import { listSpecs } from "../../app/specs/list.ts";
import { BatonError } from "../../core/errors.ts";
import { escapeControls } from "../../core/text.ts";
import { renderActivate } from "../render/specs.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";
import { writeAll } from "../write.ts";

/**
 * `baton spec switch`: a picker on a terminal, so a command of the CLI alone (no operation, no
 * tool); what it picks is activated as `baton spec activate` does.
 */
export const specSwitchCommand = defineCommand({
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
      : renderActivate({ name: r.name as string, previous: r.previous, changed: r.changed }),
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

/** The derived `spec` commands with `spec switch` in its place in help: after `update-branch`. */
export function withSpecSwitch(specCommands: readonly CommandSpec[]): CommandSpec[] {
  const at = specCommands.findIndex((c) => c.path.join(" ") === "spec update-branch") + 1;
  return [...specCommands.slice(0, at), specSwitchCommand, ...specCommands.slice(at)];
}
