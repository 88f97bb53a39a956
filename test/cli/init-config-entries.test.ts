import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { upsertJsonEntry } from "../../src/core/json-entry.ts";
import { stripJsonc } from "../../src/core/jsonc.ts";
import { upsertTomlTable } from "../../src/core/toml-entry.ts";
import { makeTempRepo, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, failsTouchingNothing, ok, read, write } from "./support.ts";

const MCP = { command: "npx", args: ["--no", "baton", "mcp"] };
const VSCODE = { type: "stdio", ...MCP };
const entry = (value: unknown = MCP) => ({ key: "mcpServers", name: "baton", value });

function upsert(before: string | null, value: unknown = MCP): string {
  const r = upsertJsonEntry(before, entry(value));
  assert.ok(r.ok, `refused: ${JSON.stringify(r)}`);
  return r.text;
}

describe("a JSON config's Baton entry", () => {
  test("is inserted in the file's own style, every other byte kept", () => {
    const cases: [string, string][] = [
      ["{}", '{"mcpServers":{"baton":{"command":"npx","args":["--no","baton","mcp"]}}}'],
      [
        '{"mcpServers":{"x":{"command":"x"}}}\n',
        '{"mcpServers":{"x":{"command":"x"},"baton":{"command":"npx","args":["--no","baton","mcp"]}}}\n',
      ],
      [
        '{ "a": 1, "b": 2 }',
        '{ "a": 1, "b": 2, "mcpServers": {"baton":{"command":"npx","args":["--no","baton","mcp"]}} }',
      ],
      [
        '{\n\t"mcpServers": {}\n}\n',
        '{\n\t"mcpServers": {\n\t\t"baton": {\n\t\t\t"command": "npx",\n\t\t\t"args": [\n\t\t\t\t"--no",\n\t\t\t\t"baton",\n\t\t\t\t"mcp"\n\t\t\t]\n\t\t}\n\t}\n}\n',
      ],
      [
        '{\r\n  "n": 12345678901234567890,\r\n  "f": 1.0\r\n}\r\n',
        '{\r\n  "n": 12345678901234567890,\r\n  "f": 1.0,\r\n  "mcpServers": {\r\n    "baton": {\r\n      "command": "npx",\r\n      "args": [\r\n        "--no",\r\n        "baton",\r\n        "mcp"\r\n      ]\r\n    }\r\n  }\r\n}\r\n',
      ],
    ];
    for (const [before, after] of cases) {
      assert.equal(upsert(before), after, before);
      assert.equal(upsert(after), after, `again on ${before}`);
    }
    assert.equal(upsert(null), `${JSON.stringify({ mcpServers: { baton: MCP } }, null, 2)}\n`);
  });

  test("replaces only the entry's value; the last of repeated keys, as JSON.parse reads it", () => {
    const before =
      '{"mcpServers": {"baton": {"command": "old"}, "x": {"a": [1,2]}, "baton": {"command": "older"}}}';
    const after = upsert(before);
    assert.equal(
      after,
      '{"mcpServers": {"baton": {"command": "old"}, "x": {"a": [1,2]}, "baton": {"command":"npx","args":["--no","baton","mcp"]}}}',
    );
    assert.deepEqual(JSON.parse(after).mcpServers.baton, MCP);
  });

  test("is compared as data: another spelling of the same value writes nothing", () => {
    const before =
      '{"mcpServers":{"baton":{ "args" : [ "--no","baton","mcp" ], "command":"npx" }}}';
    assert.equal(upsert(before), before);
  });

  test("a file that is not a JSON object, or whose section is not one, is refused", () => {
    for (const [before, refusal] of [
      ["{ // c\n}", "not-json"],
      ["[]", "not-object"],
      ['{"mcpServers": []}', "section-not-object"],
    ] as const)
      assert.deepEqual(upsertJsonEntry(before, entry()), { ok: false, refusal }, before);
  });

  test("JSONC: comments and trailing commas are read; a change is refused, never lost", () => {
    const text = '{\n  // servers\n  "a": "x // y", /* z */\n  "b": [1, 2,],\n}\n';
    const plain = stripJsonc(text);
    assert.equal(plain.length, text.length, "offsets are kept");
    assert.deepEqual(JSON.parse(plain), { a: "x // y", b: [1, 2] });
    const equal =
      '{\n  // mine\n  "mcpServers": {"baton": {"command": "npx", "args": ["--no", "baton", "mcp"]},},\n}';
    assert.deepEqual(upsertJsonEntry(equal, entry(), { jsonc: true }), { ok: true, text: equal });
    assert.deepEqual(upsertJsonEntry(text, entry(), { jsonc: true }), {
      ok: false,
      refusal: "jsonc-change",
    });
    assert.deepEqual(upsertJsonEntry(text, entry()), { ok: false, refusal: "not-json" });
    const plainJson = '{"mcpServers": {}}';
    assert.ok(upsertJsonEntry(plainJson, entry(), { jsonc: true }).ok, "plain JSON is edited");
  });
});

describe("a TOML config's Baton table", () => {
  const value = { command: "npx", args: ["--no", "baton", "mcp"] };
  const table = '[mcp_servers.baton]\ncommand = "npx"\nargs = ["--no", "baton", "mcp"]\n';
  const tomlUpsert = (before: string | null) => {
    const r = upsertTomlTable(before, "mcp_servers", "baton", value);
    assert.ok(r.ok, `refused: ${before}`);
    return r.text;
  };

  test("is appended after the user's tables, which keep every byte", () => {
    assert.equal(tomlUpsert(null), table);
    const mine =
      'model = "o3" # mine\n\n[mcp_servers.other]\ncommand = "x"\nargs = [\n  "[not.a.table]",\n]';
    const after = tomlUpsert(mine);
    assert.equal(after, `${mine}\n\n${table}`);
    assert.equal(tomlUpsert(after), after, "a second run changes nothing");
  });

  test("an outdated table is replaced in place; what follows it is kept", () => {
    const before =
      '[mcp_servers.baton]\r\ncommand = "npx"\r\nargs = ["baton", "mcp"]\r\n\r\n# the next one is mine\r\n[mcp_servers.baton.env]\r\nFOO = "1"\r\n';
    const after = tomlUpsert(before);
    assert.equal(
      after,
      '[mcp_servers.baton]\r\ncommand = "npx"\r\nargs = ["--no", "baton", "mcp"]\r\n\r\n# the next one is mine\r\n[mcp_servers.baton.env]\r\nFOO = "1"\r\n',
    );
    const spelled =
      "[ mcp_servers . 'baton' ]  # ours\nargs = [ '--no', \"baton\", 'mcp', ]\ncommand = 'npx'\n";
    assert.equal(tomlUpsert(spelled), spelled, "the same values, spelled otherwise");
  });

  test("a table defined another way is refused, not defined twice", () => {
    for (const before of [
      '[mcp_servers]\nbaton = { command = "x" }\n',
      '[mcp_servers]\nbaton.command = "x"\n',
      'mcp_servers = { other = { command = "x" } }\n',
      'mcp_servers.baton.command = "x"\n',
      `${table}\n${table}`,
      '[[mcp_servers]]\nname = "x"\n',
    ])
      assert.deepEqual(
        upsertTomlTable(before, "mcp_servers", "baton", value),
        { ok: false, refusal: "defined-elsewhere" },
        before,
      );
    // Text that only looks like the table: inside a multi-line string.
    const quoted = "notes = '''\n[mcp_servers.baton]\n'''\n";
    assert.equal(tomlUpsert(quoted), `${quoted}\n${table}`);
  });
});

describe("baton init and the agents' config files", () => {
  test("a re-run keeps the user's bytes in .mcp.json; a changed entry leaves theirs intact", () => {
    const dir = makeTempRepo();
    const user =
      '{"mcpServers": {"other":   {"command": "x", "n": 1.50}}, "z": 12345678901234567890}\n';
    write(dir, ".mcp.json", user);
    ok(dir, ["init", "--agent", "claude"]);
    const installed = read(dir, ".mcp.json");
    assert.ok(
      installed.startsWith('{"mcpServers": {"other":   {"command": "x", "n": 1.50}, "baton": '),
      installed,
    );
    assert.ok(installed.endsWith('}, "z": 12345678901234567890}\n'), installed);
    const before = snapshotTree(dir);
    assert.deepEqual(ok(dir, ["init", "--agent", "claude", "--json"]).json.written, []);
    assertTreeEqual(dir, before, "second init");

    // Baton's entry outdated: only it changes; the user's entry and numbers stay as written.
    write(dir, ".mcp.json", installed.replace('"--no",', ""));
    const r = ok(dir, ["init", "--agent", "claude", "--json"]);
    assert.deepEqual(r.json.written, [".mcp.json"]);
    assert.equal(read(dir, ".mcp.json"), installed);
  });

  test(".vscode/mcp.json with comments: left alone when right, refused with the entry when not", () => {
    const dir = makeTempRepo();
    const mine =
      '{\n  // my servers\n  "servers": {\n    "x": { "type": "stdio", "command": "x" }, // mine\n  },\n}\n';
    write(dir, ".vscode/mcp.json", mine);
    const error = failsTouchingNothing(dir, ["init", "--agent", "copilot"], "STATE_CONFLICT", 4);
    assert.match(error.message, /\.vscode\/mcp\.json has comments/);
    assert.ok(!fs.existsSync(path.join(dir, ".baton")), "nothing written");
    const shown = /: ("baton": \{.*\})$/.exec(error.hint)?.[1];
    assert.ok(shown, error.hint);
    assert.deepEqual(JSON.parse(`{${shown}}`).baton, VSCODE, "the hint shows the exact entry");

    // Added by hand as the hint says, comments and all: init now leaves the file alone.
    const byHand = mine.replace("// mine\n", `// mine\n    ${shown},\n`);
    write(dir, ".vscode/mcp.json", byHand);
    const r = ok(dir, ["init", "--agent", "copilot", "--json"]);
    assert.ok(!r.json.written.includes(".vscode/mcp.json"));
    assert.ok(
      r.json.files.some(
        (f: { path: string; action: string }) =>
          f.path === ".vscode/mcp.json" && f.action === "unchanged",
      ),
    );
    assert.equal(read(dir, ".vscode/mcp.json"), byHand);
  });

  test(".codex/config.toml: the user's tables and keys survive install and re-runs", () => {
    const dir = makeTempRepo();
    const mine = 'model = "o3"\n\n[mcp_servers.other]\ncommand = "x" # mine\n';
    write(dir, ".codex/config.toml", mine);
    ok(dir, ["init", "--agent", "codex"]);
    const installed = read(dir, ".codex/config.toml");
    assert.equal(
      installed,
      `${mine}\n[mcp_servers.baton]\ncommand = "npx"\nargs = ["--no", "baton", "mcp"]\n`,
    );
    const before = snapshotTree(dir);
    assert.deepEqual(ok(dir, ["init", "--agent", "codex", "--json"]).json.written, []);
    assertTreeEqual(dir, before, "second init");

    write(dir, ".codex/config.toml", '[mcp_servers]\nbaton = { command = "baton" }\n');
    const error = failsTouchingNothing(dir, ["init", "--agent", "codex"], "STATE_CONFLICT", 4);
    assert.match(
      error.hint,
      /\[mcp_servers\.baton\]; command = "npx"; args = \["--no", "baton", "mcp"\]/,
    );
  });
});
