/**
 * `baton <word> …` runs the bundle of that word (dist/cli/<word>.js), which holds only the word's
 * operations. These tests hold it to the whole CLI (dist/baton-cli.js): every command answers the
 * same through both, the installed bin picks the small bundle, and argv the small bundle cannot
 * place is answered by the whole CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import { COMMANDS } from "../../src/cli/registry.ts";
import { BATON_BIN, baton, makeTempRepo, makeWorkspace } from "../helpers.ts";

type Run = (
  argv: string[],
  io: { stdout(t: string): void; stderr(t: string): void; cwd: string },
) => Promise<number>;

const DIST = path.dirname(BATON_BIN);
const load = createRequire(import.meta.url);
const whole = load(path.join(DIST, "baton-cli.js")) as { run: Run };
const words = [...new Set(COMMANDS.map((c) => c.path[0] as string))];

async function answer(run: Run, cwd: string, argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
  });
  // Two runs of a write differ in their clock and their workspace folder, nothing else.
  const same = (t: string) =>
    t
      .replaceAll(cwd, "<dir>")
      .replace(/\d{4}-\d\d-\d\dT\d\d[:-]\d\d[:-]\d\d(\.\d+)?Z?/g, "<time>")
      // A journal archive is named after the second it was made in.
      .replace(/PLANNING-\d{4}-\d\d-\d\d-\d{6}/g, "PLANNING-<time>");
  return { code, stdout: same(stdout), stderr: same(stderr) };
}

describe("one bundle per first word", () => {
  test("every first word has its bundle, and each is smaller than the whole CLI", () => {
    const size = fs.statSync(path.join(DIST, "baton-cli.js")).size;
    for (const word of words) {
      const file = path.join(DIST, "cli", `${word}.js`);
      assert.ok(fs.existsSync(file), `dist/cli/${word}.js`);
      assert.ok(fs.statSync(file).size < size * 0.7, `dist/cli/${word}.js is not small`);
    }
  });

  test("every command answers through its word's bundle as through the whole CLI", async () => {
    const workspace = makeWorkspace();
    baton(workspace, ["seed", "Word bundles"]);
    baton(workspace, ["spike", "Bundle sizes", "--body", "Each word its own."]);
    const empty = makeTempRepo();
    let compared = 0;
    for (const command of COMMANDS) {
      const word = command.path[0] as string;
      const mine = load(path.join(DIST, "cli", `${word}.js`)) as { run: Run };
      for (const start of [empty, workspace]) {
        for (const extra of [["--json"], []]) {
          const argv = [...command.path, ...extra];
          // A write changes its folder: each bundle gets its own copy of it.
          const a = `${start}-a`;
          const b = `${start}-b`;
          fs.cpSync(start, a, { recursive: true });
          fs.cpSync(start, b, { recursive: true });
          if (command.path.join(" ") === "spec switch") continue; // asks on a terminal
          if (command.path[0] === "mcp") continue; // serves stdio until it closes
          if (command.path[0] === "serve") continue; // serves a port until interrupted
          const theirs = await answer(whole.run, a, argv);
          const ours = await answer(mine.run, b, argv);
          assert.deepEqual(
            ours,
            theirs,
            `baton ${argv.join(" ")} in ${start === empty ? "a bare repository" : "a workspace"}`,
          );
          fs.rmSync(a, { recursive: true, force: true });
          fs.rmSync(b, { recursive: true, force: true });
          compared++;
        }
      }
    }
    assert.ok(compared >= COMMANDS.length * 3, `${compared} answers compared`);
  });

  test("the installed bin loads the word's bundle, and the whole CLI for what the word does not know", () => {
    const dir = makeWorkspace();
    const probe = path.join(dir, "probe.cjs");
    fs.writeFileSync(
      probe,
      `const M = require("node:module");\nconst load = M._load;\nconst seen = [];\nM._load = function (req, ...rest) { seen.push(req); return load.call(this, req, ...rest); };\nprocess.on("exit", () => process.stderr.write("LOADED " + JSON.stringify(seen)));\n`,
    );
    const loads = (args: string[]) => {
      const r = spawnSync(process.execPath, ["--require", probe, BATON_BIN, ...args], {
        cwd: dir,
        encoding: "utf8",
      });
      const loaded = JSON.parse(r.stderr.split("LOADED ")[1] ?? "[]") as string[];
      return {
        r,
        bundles: loaded
          .filter((m) => /baton-cli\.js$|cli[\\/]\w+\.js$/.test(m))
          .map((m) => path.basename(m)),
      };
    };
    const seed = loads(["-C", ".", "--json", "seed", "--active"]);
    assert.equal(seed.r.status, 0, seed.r.stderr);
    assert.deepEqual(seed.bundles, ["seed.js"]);

    const typo = loads(["ticket", "lst"]);
    assert.equal(typo.r.status, 2);
    assert.match(typo.r.stderr, /baton ticket needs a subcommand; "lst" is not one/);
    assert.deepEqual(typo.bundles, ["ticket.js", "baton-cli.js"]);

    const alias = loads(["planning", "list", "--json"]);
    assert.equal(alias.r.status, 0, alias.r.stderr);
    assert.deepEqual(alias.bundles, ["spec.js"]);

    for (const args of [
      ["--help"],
      ["seed", "--help"],
      ["--version"],
      ["help", "seed"],
      ["nonsense"],
    ]) {
      const other = loads(args);
      assert.deepEqual(other.bundles, ["baton-cli.js"], args.join(" "));
    }
  });
});
