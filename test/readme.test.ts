import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { exitCodeFor } from "../src/cli/exit.ts";
import { COMMANDS } from "../src/cli/registry.ts";
import { ERROR_CODES } from "../src/core/errors.ts";
import { REPO_ROOT } from "./helpers.ts";

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

test("the README's exit-code table names every error code on its exit code's row", () => {
  for (const code of ERROR_CODES) {
    const row = readme
      .split("\n")
      .find((line) => /^\|\s*\d+\s*\|/.test(line) && line.includes(`\`${code}\``));
    assert.ok(row, `README does not document ${code}`);
    const exit = Number(row.split("|")[1]?.trim());
    assert.equal(exit, exitCodeFor(code), `${code} is documented on the exit ${exit} row`);
  }
});

test("the README's command reference mentions every command", () => {
  for (const command of COMMANDS) {
    const words = `baton ${command.path.join(" ")}`;
    const last = command.path.at(-1) as string;
    assert.ok(readme.includes(words) || readme.includes(last), `README does not mention ${words}`);
  }
});
