import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cliPath, toolName } from "../../src/app/operation.ts";
import { OPERATIONS } from "../../src/app/operations.ts";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import type { CommandSpec } from "../../src/cli/spec.ts";
import { TOOLS, type ToolDef } from "../../src/mcp/tools.ts";
import { baton, makeWorkspace } from "../helpers.ts";
import { type Connected, call, connect } from "./support.ts";

/**
 * The CLI commands and the MCP tools are derived from one list of operation declarations
 * (src/app/operations.ts): what is checked here is the derivation, not hand-kept lists. Every
 * operation is a command and a tool unless it says why not; every tool's schema is its
 * operation's fields; every command's flags and words are the same fields.
 */

/** CLI commands that are no operation, and why. */
const CLI_ONLY_COMMANDS: Record<string, string> = {
  mcp: "starts the MCP server itself",
  serve: "starts the HTTP server itself",
  "spec switch": "an interactive picker on a terminal; it runs spec activate",
};

const snake = (name: string) => name.replaceAll("-", "_");

test("every operation is a command and a tool, unless it says why not", () => {
  const commandPaths = new Set(COMMANDS.map((c) => c.path.join(" ")));
  const toolNames = new Set(TOOLS.map((t) => t.name));
  for (const op of OPERATIONS) {
    if (op.cli !== false)
      assert.ok(commandPaths.has(cliPath(op).join(" ")), `${op.name}: no command`);
    const name = toolName(op);
    if (name === null) assert.ok(op.withoutTool, `${op.name} is no tool: say why in withoutTool`);
    else assert.ok(toolNames.has(name), `${op.name}: no tool ${name}`);
  }
  const fromOps = new Set(
    OPERATIONS.flatMap((op) =>
      op.cli === false
        ? []
        : [cliPath(op).join(" "), ...(op.cli?.variants ?? []).map((v) => v.path.join(" "))],
    ),
  );
  for (const path of commandPaths) {
    assert.ok(fromOps.has(path) || CLI_ONLY_COMMANDS[path], `baton ${path} is no operation`);
  }
  assert.equal(TOOLS.length, OPERATIONS.filter((op) => toolName(op) !== null).length);
});

test("every tool's schema is its operation's fields, required and bounds alike", () => {
  for (const op of OPERATIONS) {
    const name = toolName(op);
    if (name === null) continue;
    const tool = TOOLS.find((t) => t.name === name);
    assert.ok(tool);
    const props = tool.input.properties ?? {};
    const required = new Set(tool.input.required ?? []);
    for (const [key, field] of Object.entries(op.input)) {
      const where: string = `${name}.${key}`;
      if (field.api === false) {
        assert.equal(props[key], undefined, `${where} is CLI-only`);
        continue;
      }
      const prop = props[key];
      assert.ok(prop, `${where} is advertised`);
      assert.equal(required.has(key), field.required === true, `${where}: required`);
      const type = {
        string: "string",
        int: "integer",
        boolean: "boolean",
        enum: "string",
        strings: "array",
      }[field.type as "string"];
      if (type) assert.equal(prop.type, type, `${where}: type`);
      if (field.type === "enum") assert.deepEqual(prop.enum, field.values, `${where}: values`);
      if (field.type === "int") {
        assert.equal(prop.minimum, field.min, `${where}: minimum`);
        assert.equal(prop.maximum, field.apiMax ?? field.max, `${where}: maximum`);
      }
    }
    for (const key of Object.keys(props)) {
      assert.ok(
        key in op.input || key === "limit" || key === "offset" || key === "text",
        `${name}.${key} is no field of ${op.name}`,
      );
    }
    assert.equal(tool.input.additionalProperties, false, `${name} refuses unknown arguments`);
  }
});

test("every command takes its operation's fields as words and flags", () => {
  for (const op of OPERATIONS) {
    if (op.cli === false) continue;
    const command = COMMANDS.find((c) => c.path.join(" ") === cliPath(op).join(" "));
    assert.ok(command, op.name);
    const words = new Set([
      ...(command.positionals ?? []).map((p) => p.name),
      ...(command.options ?? []).map((o) => o.name),
    ]);
    for (const [key, field] of Object.entries(op.input)) {
      if (field.cli === false || (op.cli?.variants ?? []).some((v) => key in v.fixed)) continue;
      if (op.cli?.mode === key) continue;
      const cli = field.cli;
      // A mode's words are the command's words by position (`seed --sessions <seed-id>`).
      if (op.cli?.mode && cli?.positional) {
        const at = Object.entries(op.input).filter(([, f]) => f.cli !== false && f.cli?.positional);
        const index = at.findIndex(([k]) => k === key);
        assert.ok(
          (command.positionals ?? []).length > index,
          `baton ${command.path.join(" ")} --${op.cli.mode} takes ${key} as word ${index + 1}`,
        );
        continue;
      }
      const spelled = [
        cli?.flag ?? key.replaceAll("_", "-"),
        cli?.value?.replace(/^<|>$/g, "") ?? "",
        cli?.file?.flag ?? "",
      ];
      assert.ok(
        spelled.some((w) => words.has(w)),
        `baton ${command.path.join(" ")} takes ${key} (${spelled.filter(Boolean).join(" / ")})`,
      );
    }
  }
});

test("tool names are unique and snake_case", () => {
  const names = TOOLS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^[a-z]+(_[a-z]+)*$/);
  for (const tool of TOOLS) assert.equal(snake(tool.name), tool.name);
});

// ---- types and ranges ----------------------------------------------------------------------

type Prop = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: { type?: string };
};

function properties(tool: ToolDef): Record<string, Prop> {
  return (tool.input.properties ?? {}) as Record<string, Prop>;
}

/** The CLI argument a tool input mirrors: a positional or an option, by snake_case name. */
function cliArgument(command: CommandSpec, key: string) {
  const positional = (command.positionals ?? []).find((p) => snake(p.name) === key);
  if (positional) return { kind: "positional" as const, type: "string" as const };
  const option = (command.options ?? []).find((o) => snake(o.name) === key);
  return option
    ? { kind: "option" as const, type: option.type, multiple: option.multiple === true }
    : null;
}

/** Inputs whose CLI flag names a file of JSON (`--resolutions <file|->`): inline over MCP. */
const INLINE_JSON = new Set(["plan_conflicts.resolutions"]);

test("every mirrored input has the CLI's type: booleans are flags, values are text, numbers or enums", () => {
  for (const tool of TOOLS) {
    const command = COMMANDS.find((c) => c.path.join(" ") === tool.cli) as CommandSpec;
    for (const [key, prop] of Object.entries(properties(tool))) {
      const arg = cliArgument(command, key);
      if (!arg) continue;
      const where = `${tool.name}.${key} (baton ${tool.cli})`;
      if (arg.type === "boolean") {
        assert.equal(prop.type, "boolean", `${where} is a CLI flag`);
        continue;
      }
      assert.notEqual(prop.type, "boolean", `${where} takes a value on the CLI`);
      // A repeatable flag (`--task 1.1 --task 1.2`) is a list of text over MCP.
      if (arg.kind === "option" && arg.multiple) {
        assert.equal(prop.type, "array", `${where} is a repeatable flag`);
        assert.equal(prop.items?.type, "string", `${where} holds text`);
      } else if (INLINE_JSON.has(`${tool.name}.${key}`)) assert.equal(prop.type, "array", where);
      else assert.ok(["string", "integer"].includes(prop.type ?? ""), `${where}: ${prop.type}`);
      if (prop.type === "integer") {
        assert.ok(
          RANGE_PROBES.some((p) => p.tool === tool.name && p.key === key),
          `${where} is a number: probe its range in RANGE_PROBES`,
        );
      }
    }
  }
});

interface RangeProbe {
  tool: string;
  key: string;
  /** The CLI's arguments for the same request with `value`. */
  cli: (value: string) => string[];
  /** Values the bounds of the schema do not show (rules the app keeps). */
  extra?: number[];
  /** The tool's other arguments, the ones `cli` passes too. */
  args?: Record<string, unknown>;
}

/** Every numeric input that mirrors a CLI argument, probed on both faces. */
const RANGE_PROBES: RangeProbe[] = [
  { tool: "resume", key: "budget", cli: (v) => ["resume", "--budget", v], extra: [49, 50, 60] },
  { tool: "topic_list", key: "limit", cli: (v) => ["topic", "list", "--limit", v] },
  { tool: "topic_list", key: "offset", cli: (v) => ["topic", "list", "--offset", v] },
  { tool: "ticket_list", key: "limit", cli: (v) => ["ticket", "list", "--limit", v] },
  { tool: "ticket_list", key: "offset", cli: (v) => ["ticket", "list", "--offset", v] },
  { tool: "journal_done", key: "n", cli: (v) => ["journal", "done", v], extra: [1, 2] },
  {
    tool: "work_start",
    key: "pid",
    cli: (v) => ["work", "start", "nospec", "--pid", v],
    args: { spec: "nospec" },
  },
  {
    tool: "work_spawn",
    key: "pid",
    cli: (v) => ["work", "spawn", "ws-aaaaaaaa", "--pid", v],
    args: { session: "ws-aaaaaaaa" },
  },
  {
    tool: "work_progress",
    key: "percent",
    cli: (v) => ["work", "progress", "ws-aaaaaaaa", "--percent", v],
    args: { session: "ws-aaaaaaaa" },
  },
  {
    tool: "work_progress",
    key: "token",
    cli: (v) => ["work", "progress", "ws-aaaaaaaa", "--percent", "5", "--token", v],
    args: { session: "ws-aaaaaaaa", percent: 5 },
  },
  {
    tool: "work_done",
    key: "token",
    cli: (v) => ["work", "done", "ws-aaaaaaaa", "--task", "1", "--token", v],
    args: { session: "ws-aaaaaaaa", task: "1" },
  },
  {
    tool: "work_timeline",
    key: "limit",
    cli: (v) => ["work", "timeline", "nospec", "--limit", v],
    args: { spec: "nospec" },
  },
  {
    tool: "work_release",
    key: "token",
    cli: (v) => ["work", "release", "ws-aaaaaaaa", "--task", "1", "--token", v],
    args: { session: "ws-aaaaaaaa", task: "1" },
  },
];

/** Bounds only MCP has, and why: the CLI's `--all` and long pages are for people. */
const MCP_TIGHTER = new Set([
  "topic_list.limit.max",
  "ticket_list.limit.max",
  "work_timeline.limit.max",
]);

/** Values of the right type that are refused: the same code on both faces. */
const VALUE_PROBES: { tool: string; args: Record<string, unknown>; cli: string[] }[] = [
  {
    tool: "ticket_set_status",
    args: { ticket_id: "BTN-aaaaaaaa", status: "finished" },
    cli: ["ticket", "set-status", "BTN-aaaaaaaa", "finished"],
  },
  { tool: "topic_list", args: { type: "bogus" }, cli: ["topic", "list", "--type", "bogus"] },
  { tool: "ticket_list", args: { status: "bogus" }, cli: ["ticket", "list", "--status", "bogus"] },
  { tool: "journal_done", args: { n: 99 }, cli: ["journal", "done", "99"] },
];

interface Outcome {
  ok: boolean;
  code: string | null;
}

const LARGE = Number.MAX_SAFE_INTEGER;

describe("ranges: the same value is accepted or refused alike by the CLI and over MCP", () => {
  let dir: string;
  let mcp: Connected;
  const served = new Map<string, Record<string, Prop>>();
  const mismatchedCodes: string[] = [];

  const viaCli = (argv: string[]): Outcome => {
    const r = baton(dir, [...argv, "--json"]);
    return { ok: r.code === 0, code: r.code === 0 ? null : r.json?.error?.code };
  };
  const viaMcp = async (tool: string, args: Record<string, unknown>): Promise<Outcome> => {
    const r = await call(mcp, tool, args);
    return { ok: !r.isError, code: r.isError ? r.data.code : null };
  };

  before(async () => {
    dir = makeWorkspace();
    assert.equal(baton(dir, ["journal", "next", "Write the test"]).code, 0);
    // Every toolset: the probes reach tools outside the default ones too.
    mcp = await connect(dir, "all");
    for (const tool of (await mcp.client.listTools()).tools) {
      served.set(tool.name, (tool.inputSchema.properties ?? {}) as Record<string, Prop>);
    }
  });
  after(async () => {
    await mcp.client.close();
  });

  test("numbers: at and across every bound, and fractions", async () => {
    for (const probe of RANGE_PROBES) {
      const prop = served.get(probe.tool)?.[probe.key];
      assert.ok(prop, `${probe.tool}.${probe.key} is served`);
      assert.equal(prop.type, "integer");
      const values = new Set<number>(probe.extra ?? []);
      const { minimum: min, maximum: max } = prop;
      const bounds: number[] = [];
      if (min !== undefined && Math.abs(min) < LARGE) bounds.push(min - 1, min, min + 1);
      if (max !== undefined && Math.abs(max) < LARGE) bounds.push(max, max + 1);
      for (const v of bounds) values.add(v);
      for (const value of [...values, 1.5]) {
        const where = `${probe.tool}.${probe.key} = ${value}`;
        const cli = viaCli(probe.cli(String(value)));
        const over = await viaMcp(probe.tool, { ...probe.args, [probe.key]: value });
        if (max !== undefined && value > max && MCP_TIGHTER.has(`${probe.tool}.${probe.key}.max`)) {
          assert.equal(over.ok, false, `${where}: over the MCP-only bound`);
          assert.equal(over.code, "INVALID_INPUT");
          continue;
        }
        assert.equal(
          over.ok,
          cli.ok,
          `${where}: MCP ${over.code ?? "ok"}, CLI ${cli.code ?? "ok"}`,
        );
        if (cli.ok || over.ok) continue;
        assert.equal(
          exitCodeFor(over.code as never),
          exitCodeFor(cli.code as never),
          `${where}: MCP ${over.code}, CLI ${cli.code}`,
        );
        // A whole number out of range is the same mistake on both faces; a fraction is text
        // the CLI cannot parse (USAGE), which JSON's types rule out before a value is seen.
        if (Number.isInteger(value) && over.code !== cli.code) {
          mismatchedCodes.push(`${where}: MCP ${over.code}, CLI ${cli.code}`);
        }
      }
    }
  });

  test("enums and app-checked values: the same code", async () => {
    for (const probe of VALUE_PROBES) {
      const cli = viaCli(probe.cli);
      const over = await viaMcp(probe.tool, probe.args);
      assert.equal(cli.ok, false, probe.cli.join(" "));
      assert.equal(over.ok, false, probe.tool);
      assert.equal(over.code, cli.code, `${probe.tool} ${JSON.stringify(probe.args)}`);
    }
  });

  // AWAITS THE LEAD'S CHANGE in src/cli (see the MCP report): the CLI says USAGE for a whole
  // number out of range (--limit -1, journal done 0) where resume and MCP say INVALID_INPUT.
  test("[awaits src/cli] a whole number out of range gets the same code on both faces", () => {
    assert.deepEqual(mismatchedCodes, []);
  });
});
