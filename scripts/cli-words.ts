/**
 * The CLI's one-word bundles, planned from the operation declarations: for each first word, the
 * modules that declare its operations and hold their renderers, and an esbuild plugin that writes
 * each bundle's entry. The plan is checked against the whole CLI here, at build time: a word's
 * commands must be the whole CLI's commands of that word, path, flags, help and all, or the build
 * fails.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { type CommandShape, commandLine } from "../src/app/command-line.ts";
import { type AnyOperation, cliPath } from "../src/app/operation.ts";
import { OPERATIONS } from "../src/app/operations.ts";
import { mcpCommand } from "../src/cli/commands/mcp.ts";
import { ownCommands } from "../src/cli/commands/own.ts";
import { serveCommand } from "../src/cli/commands/serve.ts";
import { withSpecSwitch } from "../src/cli/commands/spec-switch.ts";
import { deriveCommands, type Render } from "../src/cli/derive.ts";
import { RENDERERS } from "../src/cli/render/index.ts";
import type { CommandSpec } from "../src/cli/spec.ts";
import { commandTable, WORD_ORDER } from "../src/cli/table.ts";

const SRC = path.resolve(import.meta.dirname, "..", "src");

interface Export {
  file: string;
  name: string;
}

/**
 * The words whose bundle adds commands the CLI defines itself, as src/cli/commands/own.ts adds
 * them to the whole CLI: the export to import, the expression the entry passes to `wordRun`, and
 * the same function here for the check.
 */
const OWN: Record<
  string,
  { from: Export; expression: string; apply(c: CommandSpec[]): CommandSpec[] }
> = {
  spec: {
    from: { file: path.join(SRC, "cli", "commands", "spec-switch.ts"), name: "withSpecSwitch" },
    expression: "withSpecSwitch",
    apply: withSpecSwitch,
  },
  mcp: {
    from: { file: path.join(SRC, "cli", "commands", "mcp.ts"), name: "mcpCommand" },
    expression: "(derived) => [...derived, mcpCommand]",
    apply: (derived) => [...derived, mcpCommand],
  },
  serve: {
    from: { file: path.join(SRC, "cli", "commands", "serve.ts"), name: "serveCommand" },
    expression: "(derived) => [...derived, serveCommand]",
    apply: (derived) => [...derived, serveCommand],
  },
};

export interface CliWord {
  word: string;
  /** Each operation of the word, in the whole CLI's order, and the module exporting it. */
  operations: { op: string; from: Export }[];
  /** The renderer objects (by operation name) the word's commands print with. */
  renderers: Export[];
}

/** `ticket set-status`'s first words, one per path it answers on. */
function firstWords(op: AnyOperation): string[] {
  if (op.cli === false) return [];
  const paths = op.cli?.variants?.map((v) => v.path) ?? [cliPath(op)];
  return [...new Set(paths.map((p) => p[0] as string))];
}

function isOperation(value: unknown): value is AnyOperation {
  const v = value as Partial<AnyOperation> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.name === "string" &&
    typeof v.run === "function" &&
    (v.access === "read" || v.access === "write") &&
    typeof v.input === "object"
  );
}

async function exportsOf(dir: string, keep: (value: unknown, name: string) => string[]) {
  const found = new Map<string, Export>();
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && path.basename(f) !== "index.ts")
    .sort();
  for (const rel of files) {
    const file = path.join(dir, rel);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod))
      for (const key of keep(value, name)) if (!found.has(key)) found.set(key, { file, name });
  }
  return found;
}

function shape(c: CommandSpec) {
  const { run: _run, render: _render, exitCode, ...rest } = c;
  return JSON.stringify({ ...rest, exitCode: exitCode !== undefined });
}

export async function cliWords(): Promise<CliWord[]> {
  const declared = await exportsOf(path.join(SRC, "app"), (v) => (isOperation(v) ? [v.name] : []));
  const renderedBy = await exportsOf(path.join(SRC, "cli", "render"), (v, name) =>
    name.endsWith("Renderers") && typeof v === "object" && v !== null ? Object.keys(v) : [],
  );
  const whole = commandTable(ownCommands(deriveCommands(OPERATIONS, RENDERERS)));
  const words: CliWord[] = [];
  for (const word of WORD_ORDER) {
    const ops = OPERATIONS.filter((op) => firstWords(op).includes(word));
    const operations = ops.map((op) => {
      const from = declared.get(op.name);
      if (!from) throw new Error(`build: no module under src/app exports the operation ${op.name}`);
      return { op: op.name, from };
    });
    const renderers = [
      ...new Map(
        ops.map((op) => {
          const from = renderedBy.get(op.name);
          if (!from) throw new Error(`build: no renderer under src/cli/render for ${op.name}`);
          return [`${from.file}#${from.name}`, from] as const;
        }),
      ).values(),
    ];
    const renderer: Record<string, Render> = {};
    for (const op of ops) renderer[op.name] = RENDERERS[op.name] as Render;
    const own = OWN[word]?.apply ?? ((derived: CommandSpec[]) => derived);
    const mine = commandTable(own(deriveCommands(ops, renderer)), new Set([word])).commands.map(
      shape,
    );
    const theirs = whole.commands.filter((c) => c.path[0] === word).map(shape);
    if (mine.join("\n") !== theirs.join("\n"))
      throw new Error(`build: the bundle of "baton ${word}" would differ from the whole CLI`);
    words.push({ word, operations, renderers });
  }
  return words;
}

/**
 * What spelling a command line needs of every operation (src/app/command-line.ts), as JSON: the
 * data of each declaration, its functions left out. Checked here: a command line spelled from it
 * must be the one spelled from the declaration.
 */
function commandShapes(): string {
  const text = JSON.stringify(
    OPERATIONS.map((op) => ({ name: op.name, cli: op.cli, input: op.input })),
  );
  const shapes = JSON.parse(text) as CommandShape[];
  for (const op of OPERATIONS) {
    const args = Object.fromEntries(Object.keys(op.input).map((key) => [key, `<${key}>`]));
    for (const ref of [
      { verb: op.name, args: {} },
      { verb: op.name, args },
    ]) {
      if (commandLine(ref, shapes) !== commandLine(ref, OPERATIONS))
        throw new Error(`build: the spelling of ${op.name} does not survive as data`);
    }
  }
  return text;
}

/** The entry of each word's bundle, as the virtual module `baton-word:<word>`. */
export function wordEntries(words: readonly CliWord[]): Plugin {
  const byWord = new Map(words.map((w) => [w.word, w]));
  const shapes = commandShapes();
  return {
    name: "baton-word",
    setup(b) {
      b.onResolve({ filter: /^baton-word:/ }, (args) => ({
        path: args.path.slice("baton-word:".length),
        namespace: "baton-word",
      }));
      b.onLoad({ filter: /.*/, namespace: "baton-word" }, (args) => {
        const w = byWord.get(args.path) as CliWord;
        const imports = new Map<string, Set<string>>();
        const own = OWN[w.word];
        for (const e of [
          ...w.operations.map((o) => o.from),
          ...w.renderers,
          ...(own ? [own.from] : []),
        ])
          imports.set(e.file, (imports.get(e.file) ?? new Set()).add(e.name));
        const lines = [
          `import { wordRun } from ${JSON.stringify(path.join(SRC, "cli", "word.ts"))};`,
          ...[...imports].map(
            ([file, names]) => `import { ${[...names].join(", ")} } from ${JSON.stringify(file)};`,
          ),
          `export const run = wordRun(${JSON.stringify(w.word)}, [${w.operations
            .map((o) => o.from.name)
            .join(", ")}], { ${w.renderers.map((r) => `...${r.name}`).join(", ")} }, ${
            own ? own.expression : "(derived) => derived"
          }, ${JSON.stringify(shapes)});`,
        ];
        return { contents: lines.join("\n"), loader: "ts", resolveDir: SRC };
      });
    },
  };
}
