import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { batonAsync, makeTempRepo } from "../helpers.ts";
import { read } from "./support.ts";

const ROUNDS = 6;

function initializedEvents(dir: string): number {
  return read(dir, ".baton", "events.jsonl")
    .split("\n")
    .filter((line) => line.includes('"workspace.initialized"')).length;
}

describe("two baton init runs at once", () => {
  test("with different settings: exactly one wins, the other reports the conflict", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = makeTempRepo();
      const runs = await Promise.all(
        ["AAA", "BBB"].map((prefix) => batonAsync(dir, ["init", "--prefix", prefix, "--json"])),
      );
      const won = runs.filter((r) => r.code === 0);
      const lost = runs.filter((r) => r.code !== 0);
      assert.equal(won.length, 1, `round ${round}: ${runs.map((r) => r.stdout).join("\n")}`);
      const winner = won[0]?.json;
      const loser = lost[0];
      assert.equal(winner.created, true);
      assert.equal(loser?.code, 4, loser?.stderr);
      assert.equal(loser?.json?.error?.code, "STATE_CONFLICT");
      const prefix = winner.config.tickets.prefix;
      assert.match(loser?.json.error.message, new RegExp(`tickets\\.prefix: ${prefix}\\b`));
      const config = read(dir, ".baton", "config.yaml");
      assert.match(config, new RegExp(`prefix: ${prefix}\\n`), `round ${round}`);
      assert.equal(initializedEvents(dir), 1, `round ${round}: one workspace.initialized`);
      assert.deepEqual(
        fs.readdirSync(path.join(dir, ".baton")).filter((f) => f.includes(".baton-tmp-")),
        [],
        "no temp file left behind",
      );
    }
  });

  test("with the same settings: both succeed, exactly one creates the workspace", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = makeTempRepo();
      const runs = await Promise.all(
        [0, 1].map(() => batonAsync(dir, ["init", "--prefix", "SAME", "--json"])),
      );
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(runs.map((r) => r.json.created).sort(), [false, true], `round ${round}`);
      assert.equal(initializedEvents(dir), 1, `round ${round}: one workspace.initialized`);
      assert.match(read(dir, ".baton", "config.yaml"), /prefix: SAME\n/);
    }
  });
});
