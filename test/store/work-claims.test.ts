/**
 * Claims between real processes: many agents in several git worktrees of one clone claiming from
 * one spec at once, and a holder killed with kill -9 whose lease runs out.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { assertTreeEqual } from "../cli/support.ts";
import { batonAsync, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { killAt, killChildren, removeDir, sleep, startBaton } from "./procs.ts";

after(killChildren);

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.email=t@e", "-c", "user.name=T", ...args], {
    cwd,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
}

async function must(cwd: string, args: string[]): Promise<any> {
  const r = await batonAsync(cwd, [...args, "--json"]);
  assert.equal(r.code, 0, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.json;
}

/** A workspace holding the spec `big`, approved and started, with `tasks` flat tasks. */
async function specWith(tasks: number, extraConfig = ""): Promise<string> {
  const dir = makeWorkspace();
  if (extraConfig) fs.appendFileSync(path.join(dir, ".baton", "config.yaml"), extraConfig);
  await must(dir, ["spec", "new", "big", "-q"]);
  const lines = Array.from({ length: tasks }, (_, i) => `- [ ] ${i + 1}. Task number ${i + 1}`);
  fs.writeFileSync(
    path.join(dir, ".baton", "planning", "big", "tasks.md"),
    `# Tasks\n\n${lines.join("\n")}\n`,
  );
  await must(dir, ["spec", "start", "big", "--force", "-q"]);
  return dir;
}

function timeline(dir: string): any[] {
  return fs
    .readFileSync(path.join(dir, ".baton", "planning", "big", "events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

describe("claims between processes", () => {
  test("32 processes in 4 worktrees of one clone claim a 200-task spec: every task exactly once", {
    timeout: 240_000,
  }, async (t) => {
    const dir = await specWith(200);
    t.after(() => removeDir(dir));
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "spec");
    const trees = [dir];
    for (let i = 1; i < 4; i++) {
      const tree = `${dir}-wt${i}`;
      git(dir, "worktree", "add", "-q", tree, "-b", `agent-${i}`);
      trees.push(tree);
      t.after(() => removeDir(tree));
    }
    const before = trees.slice(1).map((tree) => snapshotTree(tree));
    // Each agent starts its session in its worktree, then claims until nothing is ready.
    const agents = Array.from({ length: 32 }, (_, i) => trees[i % 4] as string);
    const sessions = await Promise.all(
      agents.map(
        async (cwd, i) =>
          (await must(cwd, ["work", "start", "big", "--name", `agent ${i}`])).session.id as string,
      ),
    );
    const started = performance.now();
    const claimed = await Promise.all(
      agents.map(async (cwd, i) => {
        const mine: string[] = [];
        for (;;) {
          const r = await batonAsync(cwd, [
            "work",
            "claim",
            "big",
            "--session",
            sessions[i] as string,
            "--json",
          ]);
          if (r.code !== 0) {
            assert.equal(r.json?.error?.code, "NO_TASKS", `${r.stdout}${r.stderr}`);
            return mine;
          }
          assert.equal(r.json.session.id, sessions[i]);
          mine.push(r.json.claimed.task);
        }
      }),
    );
    t.diagnostic(`32 agents claimed 200 tasks in ${(performance.now() - started).toFixed(0)} ms`);
    const all = claimed.flat();
    assert.equal(all.length, 200, "200 claims");
    assert.equal(new Set(all).size, 200, "no task claimed twice");
    assert.ok(claimed.filter((c) => c.length > 0).length > 1, "the work was shared");
    // Each claim file names the holder that reported it, with token 1.
    const claims = path.join(dir, ".baton", "planning", "big", "work", "claims");
    claimed.forEach((tasks, i) => {
      for (const task of tasks) {
        const claim = readJson(path.join(claims, `${task}.json`));
        assert.equal(claim.session, sessions[i], `task ${task}`);
        assert.equal(claim.token, 1);
      }
      const record = readJson(
        path.join(dir, ".baton", "planning", "big", "work", `${sessions[i]}.json`),
      );
      assert.deepEqual(
        record.tasks.map((x: any) => x.id).sort(),
        [...tasks].sort(),
        `${sessions[i]}'s record`,
      );
    });
    // No lost or doubled event: one work.claimed per claim, every id unique.
    const events = timeline(dir);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, "unique event ids");
    const claimEvents = events.filter((e) => e.type === "work.claimed");
    assert.equal(claimEvents.length, 200);
    assert.deepEqual(claimEvents.map((e) => e.task).sort(), [...all].sort());
    for (const e of claimEvents) {
      const i = sessions.indexOf(e.session);
      assert.ok(claimed[i]?.includes(e.task), `${e.task} by ${e.session}`);
    }
    assert.equal(events.filter((e) => e.type === "work.started").length, 32);
    // The worktrees hold no live state of their own; the primary's lock is free.
    for (const [i, tree] of trees.slice(1).entries()) {
      assertTreeEqual(tree, before[i] as Map<string, string>, tree);
    }
    assert.equal(fs.existsSync(path.join(dir, ".baton", ".writing")), false);
  });

  test("kill -9 of a holder mid-command, then its lease runs out: taken over once; its next command is LEASE_LOST and writes nothing", {
    timeout: 60_000,
  }, async (t) => {
    const dir = await specWith(1, "work:\n  leaseTtl: 2s\n");
    t.after(() => removeDir(dir));
    const holder = (await must(dir, ["work", "start", "big", "--task", "1"])).session.id as string;
    // Killed in a heartbeat, between renewing the claim and writing the session: undone.
    await killAt(dir, ["work", "heartbeat", holder], `replace:${holder}.json`);
    assert.ok(fs.existsSync(path.join(dir, ".baton", ".writing")), "the heartbeat died mid-way");
    await sleep(2100);
    const claimers = Array.from({ length: 6 }, () =>
      startBaton(dir, ["work", "claim", "big", "--json"]),
    );
    const codes = await Promise.all(claimers.map((c) => c.exited));
    const won = claimers.filter((_, i) => codes[i] === 0);
    assert.equal(won.length, 1, claimers.map((c) => c.stdout() + c.stderr()).join("\n"));
    const winner = JSON.parse((won[0] as (typeof claimers)[number]).stdout());
    assert.equal(winner.claimed.task, "1");
    assert.equal(winner.claimed.token, 2);
    assert.equal(winner.claimed.takeover.session, holder);
    for (const [i, c] of claimers.entries()) {
      if (codes[i] !== 0) assert.equal(JSON.parse(c.stdout()).error.code, "NO_TASKS");
    }
    const takeovers = timeline(dir).filter((e) => e.type === "work.claimed" && e.takeover);
    assert.equal(takeovers.length, 1, "taken over once");
    assert.equal(fs.existsSync(path.join(dir, ".baton", ".writing")), false, "repaired");
    // The old holder's next commands are refused, and change nothing.
    const tree = snapshotTree(dir);
    for (const args of [
      ["work", "heartbeat", holder],
      ["work", "release", holder, "--task", "1"],
      ["work", "release", holder, "--task", "1", "--token", "1"],
    ]) {
      const r = await batonAsync(dir, [...args, "--json"]);
      assert.equal(r.code, 4, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.equal(r.json.error.code, "LEASE_LOST");
      assert.match(
        r.json.error.message,
        new RegExp(`${winner.session.id} holds it now with token 2`),
      );
      assertTreeEqual(dir, tree, args.join(" "));
    }
  });
});
