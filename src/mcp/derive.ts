/**
 * The MCP tools, derived from the operation declarations: name, description, input schema and
 * checks, read-only hint and paging come from each operation; nothing is listed by hand here.
 */
import { type AnyOperation, cliPath, toolName } from "../app/operation.ts";
import { TOOL_PAGE_FIELDS } from "../app/paging.ts";
import { checkInput, type Fields, jsonSchemaOf } from "../core/fields.ts";
import { pageLists } from "./inputs.ts";
import type { ToolView } from "./tool-view.ts";
import type { ToolDef } from "./tools.ts";
import { TOOL_VIEWS } from "./views/index.ts";

export function deriveTools(ops: readonly AnyOperation[]): ToolDef[] {
  const out: ToolDef[] = [];
  for (const op of ops) {
    const name = toolName(op);
    if (name === null) continue;
    const surface = op.tool === false ? undefined : op.tool;
    const cli = cliPath(op).join(" ");
    // A tool for one of the operations sharing a CLI path is titled by its mode flag too.
    const mode = op.cli === false ? undefined : op.cli?.mode;
    const view: ToolView | undefined = TOOL_VIEWS[op.name];
    const lists = surface?.pageLists;
    const fields: Fields = {
      ...op.input,
      ...(lists ? TOOL_PAGE_FIELDS : {}),
      ...(view?.input ?? {}),
    };
    const cut = view?.cut ?? surface?.cut ?? lists;
    out.push({
      name,
      cli,
      title: `baton ${titleWords(op)}${mode ? ` --${mode}` : ""}`,
      description: surface?.description ?? op.summary,
      input: jsonSchemaOf(fields),
      toolset: surface?.toolset ?? "other",
      readOnly: op.access === "read",
      ...(cut ? { pages: cut } : {}),
      ...(surface?.more ? { more: surface.more } : {}),
      check: (args) =>
        checkInput(fields, args, "api", {
          where: `invalid arguments for ${name}`,
          hint: `see the inputSchema of ${name} in tools/list (same arguments as baton ${cli})`,
        }),
      run: async ({ ctx, cwd, notice }, args) => {
        const own: Record<string, unknown> = {};
        for (const key of Object.keys(op.input)) if (key in args) own[key] = args[key];
        const env = {
          cwd,
          context: () => ctx,
          notice,
          now: () => ctx.now(),
          confined: true,
          output: "json" as const,
        };
        const result = await (view?.run ? view.run(env, own, op) : op.run(env, own as never));
        const shaped = view?.shape ? view.shape(result, args) : result;
        return lists ? pageLists(shaped as object, lists as never, args) : shaped;
      },
    });
  }
  return out;
}

/**
 * The CLI words a tool's title names: its main path, or, for an operation whose paths each fix
 * some of its fields, all of them (`journal note|decide|next`).
 */
function titleWords(op: AnyOperation): string {
  const main = cliPath(op);
  const variants = op.cli === false ? undefined : op.cli?.variants;
  if (!variants || variants.some((v) => Object.keys(v.fixed).length === 0)) return main.join(" ");
  const head = main.slice(0, -1).join(" ");
  const sameHead = variants.every(
    (v) => v.path.length === main.length && v.path.slice(0, -1).join(" ") === head,
  );
  const alternatives = variants.map((v) => (sameHead ? v.path.at(-1) : v.path.join(" ")));
  return `${sameHead && head ? `${head} ` : ""}${alternatives.join("|")}`;
}
