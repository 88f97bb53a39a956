import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { loadAgentSources } from "../../src/app/agent-sources.ts";
import {
  AGENT_NAMES,
  agentTarget,
  MCP_COMMAND,
  MCP_COMMAND_LINE,
} from "../../src/core/agent-targets.ts";
import { baton, makeTempRepo, REPO_ROOT, readJson, snapshotTree } from "../helpers.ts";
import { ok, read } from "./support.ts";

/** `npx` followed by `baton` with no `--no` in between: would fetch a foreign package. */
const UNSAFE = /\bnpx\s+(?!--no\b)(?:-\S+\s+)*baton\b/;

/** The command line an installed registration starts, as one string. */
function commandLine(value: any): string {
  if (Array.isArray(value.command)) return value.command.join(" ");
  return [value.command, ...value.args].join(" ");
}

describe("baton init --agent: the MCP registration", () => {
  test("every installed MCP registration starts npx --no baton mcp", () => {
    assert.equal(MCP_COMMAND_LINE, "npx --no baton mcp");
    const dir = makeTempRepo();
    const r = ok(dir, ["init", "--agent", "all", "--json"]);
    const sources = loadAgentSources();
    let checked = 0;
    for (const agent of AGENT_NAMES) {
      for (const o of agentTarget(agent, sources).outputs) {
        if (o.kind !== "json") continue;
        checked++;
        const file = path.join(dir, o.path);
        if (o.syntax === "toml") {
          const text = read(file);
          assert.match(text, /^\[mcp_servers\.baton\]\ncommand = "npx"\n/m, o.path);
          assert.match(text, /^args = \["--no", "baton", "mcp"\]$/m, o.path);
          continue;
        }
        const entry = readJson(file)[o.key][o.name];
        assert.equal(commandLine(entry), MCP_COMMAND_LINE, `${agent}: ${o.path}`);
      }
    }
    assert.equal(checked, 6, "claude, codex, cursor, gemini, copilot and opencode register it");
    // Nothing installed, no note and no README line names the unsafe form.
    for (const [file, text] of snapshotTree(dir))
      assert.ok(!UNSAFE.test(text), `${file} starts npx baton without --no`);
    for (const note of r.json.notes) assert.ok(!UNSAFE.test(note), note);
    assert.ok(
      r.json.notes.some((n: string) => n.includes(MCP_COMMAND_LINE)),
      "the notes give the safe command",
    );
    const readme = read(REPO_ROOT, "README.md");
    assert.ok(!UNSAFE.test(readme), "README.md starts npx baton without --no");
    assert.ok(readme.includes(MCP_COMMAND_LINE), "the README names the registered command");
  });

  test("a registration written by an older Baton is upgraded, the user's servers kept", () => {
    const dir = makeTempRepo();
    const old =
      '{\n  "mcpServers": {\n    "other": {"command": "x"},\n    "baton": {\n      "command": "npx",\n      "args": ["baton", "mcp"]\n    }\n  }\n}\n';
    fs.writeFileSync(path.join(dir, ".mcp.json"), old);
    const r = ok(dir, ["init", "--agent", "claude", "--json"]);
    assert.ok(r.json.written.includes(".mcp.json"));
    assert.equal(
      read(dir, ".mcp.json"),
      old.replace(
        '["baton", "mcp"]',
        '[\n        "--no",\n        "baton",\n        "mcp"\n      ]',
      ),
      "only Baton's entry changed",
    );
  });

  test("npx --no never fetches a package named baton; a bare npx would", async (t) => {
    const npmCli = process.env.npm_execpath;
    const npxCli = npmCli ? path.join(path.dirname(npmCli), "npx-cli.js") : "";
    if (!npmCli || !fs.existsSync(npxCli)) {
      t.skip("npm's npx-cli.js not found (run the tests through npm or npx)");
      return;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "baton-npx-"));
    const tarball = packForeignBaton(npmCli, work);
    const registry = await serveRegistry(tarball);
    try {
      const run = (args: string[]) => {
        const project = fs.mkdtempSync(path.join(work, "project-"));
        const marker = path.join(project, "foreign-baton-ran");
        return runNpx(npxCli, args, project, registry.url, work, marker).then((code) => ({
          code,
          ran: fs.existsSync(marker),
        }));
      };
      // The bug being guarded against: stdin is no TTY, so a bare npx installs and runs it.
      const bare = await run(["baton", "mcp"]);
      assert.equal(bare.ran, true, "a bare npx baton ran the registry's package");
      const safe = await run([...MCP_COMMAND.args]);
      assert.equal(safe.ran, false, "npx --no baton ran the registry's package");
      assert.notEqual(safe.code, 0);
    } finally {
      await registry.close();
    }
  });

  test("npx --no baton mcp starts the Baton installed in the project", async (t) => {
    const npmCli = process.env.npm_execpath;
    const npxCli = npmCli ? path.join(path.dirname(npmCli), "npx-cli.js") : "";
    if (!npmCli || !fs.existsSync(npxCli)) {
      t.skip("npm's npx-cli.js not found (run the tests through npm or npx)");
      return;
    }
    const dir = makeTempRepo();
    ok(dir, ["init"]);
    fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "baton"));
    fs.symlinkSync(
      path.join("..", "baton", "dist", "baton.js"),
      path.join(dir, "node_modules", ".bin", "baton"),
    );
    const request = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "test", version: "1" },
      },
    };
    const r = spawnSync(process.execPath, [npxCli, ...MCP_COMMAND.args], {
      cwd: dir,
      env: npxEnv(
        fs.mkdtempSync(path.join(os.tmpdir(), "baton-npx-cache-")),
        "http://127.0.0.1:9/",
      ),
      input: `${JSON.stringify(request)}\n`,
      encoding: "utf8",
      timeout: 60_000,
    });
    const reply = JSON.parse(r.stdout.split("\n")[0] ?? "");
    assert.equal(reply.result?.serverInfo?.name, "baton", r.stderr);
  });
});

/**
 * npm's environment for a run against `registry` with its own cache and no user or global npmrc
 * (a machine's own settings, `yes` among them, would decide the test instead of the flags).
 */
function npxEnv(cache: string, registry: string, extra: Record<string, string> = {}) {
  fs.mkdirSync(cache, { recursive: true });
  const [user, global] = ["user", "global"].map((name) => {
    const file = path.join(cache, `${name}-npmrc`);
    fs.writeFileSync(file, "");
    return file;
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
    npm_config_registry: registry,
    npm_config_cache: cache,
    npm_config_userconfig: user,
    npm_config_globalconfig: global,
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    ...extra,
  };
  delete env.npm_config_yes;
  delete env.NPM_CONFIG_YES;
  return env;
}

/** A tarball of a package named `baton` whose bin only leaves a marker file behind. */
function packForeignBaton(npmCli: string, work: string): string {
  const pkg = path.join(work, "foreign");
  fs.mkdirSync(pkg);
  fs.writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({ name: "baton", version: "9.9.9", bin: { baton: "bin.js" } }),
  );
  fs.writeFileSync(
    path.join(pkg, "bin.js"),
    '#!/usr/bin/env node\nrequire("node:fs").writeFileSync(process.env.BATON_TEST_MARKER, "ran");\n',
    { mode: 0o755 },
  );
  const r = spawnSync(process.execPath, [npmCli, "pack", "--pack-destination", work], {
    cwd: pkg,
    env: npxEnv(path.join(work, "pack-cache"), "http://127.0.0.1:9/"),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return path.join(work, "baton-9.9.9.tgz");
}

/** A registry on localhost that knows one package, `baton`. */
async function serveRegistry(
  tarball: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const bytes = fs.readFileSync(tarball);
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === "/baton") {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          name: "baton",
          "dist-tags": { latest: "9.9.9" },
          versions: {
            "9.9.9": {
              name: "baton",
              version: "9.9.9",
              bin: { baton: "bin.js" },
              dist: {
                tarball: `${base}/baton-9.9.9.tgz`,
                shasum: crypto.createHash("sha1").update(bytes).digest("hex"),
                integrity: `sha512-${crypto.createHash("sha512").update(bytes).digest("base64")}`,
              },
            },
          },
        }),
      );
    } else if (req.url === "/baton-9.9.9.tgz") {
      res.end(bytes);
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs npx without a TTY (as an agent spawns an MCP server); resolves with its exit code. */
function runNpx(
  npxCli: string,
  args: string[],
  cwd: string,
  registry: string,
  work: string,
  marker: string,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [npxCli, ...args], {
      cwd,
      env: npxEnv(fs.mkdtempSync(path.join(work, "cache-")), registry, {
        BATON_TEST_MARKER: marker,
      }),
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

describe("baton init --agent: a Baton for npx to start", () => {
  /** PATH without any folder holding a `baton`: as on a machine with no global Baton. */
  const bare = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((d) => d !== "" && !fs.existsSync(path.join(d, "baton")))
    .join(path.delimiter);
  const warningsOf = (dir: string, args: string[], PATH = bare): string[] =>
    baton(dir, [...args, "--json"], { PATH }).json.warnings;

  test("with no Baton installed, init --agent claude warns that npx --no baton mcp will not start", () => {
    const dir = makeTempRepo();
    const r = baton(dir, ["init", "--agent", "claude", "--json"], { PATH: bare });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.warnings.length, 1, JSON.stringify(r.json.warnings));
    const [warning] = r.json.warnings;
    assert.match(
      warning,
      /^claude starts Baton's MCP server as npx --no baton mcp, which will not start here/,
    );
    assert.ok(warning.includes(`npm install --save-dev ${REPO_ROOT}`), warning);
    assert.ok(warning.includes(`npm install --global ${REPO_ROOT}`), warning);
    assert.ok(fs.existsSync(path.join(dir, ".mcp.json")), "the files are written all the same");
    const text = baton(dir, ["init", "--agent", "claude"], { PATH: bare });
    assert.match(text.stdout, /\nwarning: claude starts Baton's MCP server as npx --no baton mcp/);
    // Every agent that registers the server is named; one that has no MCP gets no warning.
    assert.match(
      warningsOf(dir, ["init", "--agent", "cursor", "--agent", "codex"])[0] ?? "",
      /^codex, cursor start /,
    );
    assert.deepEqual(warningsOf(dir, ["init", "--agent", "pi"]), []);
    assert.deepEqual(warningsOf(dir, ["init"]), []);
  });

  test("a Baton in the project, a parent folder, its own package.json or on PATH: no warning", () => {
    const local = makeTempRepo();
    fs.mkdirSync(path.join(local, "node_modules", ".bin"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(local, "node_modules", "baton"));
    fs.symlinkSync(
      path.join("..", "baton", "dist", "baton.js"),
      path.join(local, "node_modules", ".bin", "baton"),
    );
    assert.deepEqual(warningsOf(local, ["init", "--agent", "claude"]), []);

    const nested = path.join(local, "packages", "app");
    fs.mkdirSync(nested, { recursive: true });
    spawnSync("git", ["init", "-q"], { cwd: nested });
    assert.deepEqual(warningsOf(nested, ["init", "--agent", "claude"]), [], "found up the tree");

    const own = makeTempRepo();
    fs.writeFileSync(
      path.join(own, "package.json"),
      JSON.stringify({ name: "baton", bin: { baton: "dist/baton.js" } }),
    );
    assert.deepEqual(warningsOf(own, ["init", "--agent", "claude"]), []);

    const global = fs.mkdtempSync(path.join(os.tmpdir(), "baton-global-bin-"));
    fs.writeFileSync(path.join(global, "baton"), "#!/bin/sh\n", { mode: 0o755 });
    const elsewhere = makeTempRepo();
    assert.deepEqual(
      warningsOf(elsewhere, ["init", "--agent", "claude"], `${global}${path.delimiter}${bare}`),
      [],
    );
  });
});
