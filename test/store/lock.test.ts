import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { BatonError } from "../../src/core/errors.ts";
import {
  acquireLock,
  defaultLockStrategy,
  type LockStrategy,
  lockDir,
  socketLockSupported,
  socketName,
} from "../../src/store/lock.ts";
import {
  BATON_BIN,
  baton,
  knowledge,
  makeWorkspace,
  readJson,
  unprivilegedRunner,
} from "../helpers.ts";
import {
  killChildren,
  removeDir,
  sleep,
  startBaton,
  startFixture,
  waitForOutput,
} from "./procs.ts";

after(killChildren);

const posix = process.platform !== "win32";

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-lock-"));
  t.after(() => removeDir(dir));
  return dir;
}

function lockOf(workspace: string): string {
  return path.join(workspace, ".baton", ".lock");
}

describe("workspace lock held by a process killed with kill -9", {
  skip: !posix,
  timeout: 20_000,
}, () => {
  test("the next baton command runs at once", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    assert.equal(baton(dir, ["seed", "Kill nine"]).code, 0);
    const holder = startFixture("hold-lock.ts", [lockOf(dir), defaultLockStrategy()]);
    await waitForOutput(holder, "locked");

    const killedAt = performance.now();
    holder.proc.kill("SIGKILL");
    const result = await startBaton(dir, ["spike", "After the kill"]).exited;
    const elapsed = performance.now() - killedAt;
    t.diagnostic(`kill -9 -> next command done in ${elapsed.toFixed(0)} ms`);

    assert.equal(result, 0);
    assert.ok(elapsed < 1_500, `next command took ${elapsed.toFixed(0)} ms`);
    assert.ok(
      readJson(knowledge(dir, ".active-planning.json")).spikes.includes("spike-after-the-kill"),
    );
  });

  test("a command already waiting for the lock proceeds as soon as the holder dies", async (t) => {
    const dir = makeWorkspace();
    t.after(() => removeDir(dir));
    const holder = startFixture("hold-lock.ts", [lockOf(dir), defaultLockStrategy()]);
    await waitForOutput(holder, "locked");

    const waiter = startBaton(dir, ["spike", "Waited"]);
    let waiterDone = false;
    void waiter.exited.then(() => (waiterDone = true));
    await sleep(400);
    assert.equal(waiterDone, false, "the command must wait while the lock is held");
    assert.equal(fs.existsSync(knowledge(dir, "topics", "spike-waited")), false);

    const killedAt = performance.now();
    holder.proc.kill("SIGKILL");
    assert.equal(await waiter.exited, 0, waiter.stderr());
    const elapsed = performance.now() - killedAt;
    t.diagnostic(`waiting command finished ${elapsed.toFixed(0)} ms after kill -9`);
    assert.ok(elapsed < 1_000, `waiter needed ${elapsed.toFixed(0)} ms after the kill`);
    assert.ok(fs.existsSync(knowledge(dir, "topics", "spike-waited", "spike.md")));
  });
});

for (const strategy of ["socket", "file"] as LockStrategy[]) {
  const unsupported = strategy === "socket" && !socketLockSupported();
  describe(`lock strategy: ${strategy}`, { skip: unsupported || !posix, timeout: 30_000 }, () => {
    test("a live holder blocks until it releases, then the waiter gets the lock", async (t) => {
      const lockFile = path.join(tempDir(t), ".lock");
      const holder = startFixture("hold-lock.ts", [lockFile, strategy]);
      await waitForOutput(holder, "locked");

      const started = performance.now();
      let acquiredAt = 0;
      const waiting = acquireLock(lockFile, { strategy, timeoutMs: 5_000 }).then((lock) => {
        acquiredAt = performance.now();
        return lock;
      });
      await sleep(400);
      assert.equal(acquiredAt, 0, "acquired while another process held the lock");
      holder.proc.stdin?.write("release\n");
      await waitForOutput(holder, "released");
      const lock = await waiting;
      const waited = acquiredAt - started;
      t.diagnostic(`waited ${waited.toFixed(0)} ms for a holder that released after ~400 ms`);
      assert.ok(waited >= 390 && waited < 1_500, `waited ${waited.toFixed(0)} ms`);
      await lock.release();
      assert.equal(await holder.exited, 0);
    });

    test("LOCK_TIMEOUT once the timeout passes while a live process holds it", async (t) => {
      const lockFile = path.join(tempDir(t), ".lock");
      const holder = startFixture("hold-lock.ts", [lockFile, strategy]);
      await waitForOutput(holder, "locked");
      const started = performance.now();
      await assert.rejects(acquireLock(lockFile, { strategy, timeoutMs: 300 }), (error) => {
        assert.ok(error instanceof BatonError);
        assert.equal(error.code, "LOCK_TIMEOUT");
        assert.ok(error.hint.length > 0);
        return true;
      });
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 290 && elapsed < 1_500, `timed out after ${elapsed.toFixed(0)} ms`);
      holder.proc.stdin?.write("release\n");
      assert.equal(await holder.exited, 0);
    });

    test("a holder killed with kill -9 is taken over quickly", async (t) => {
      const lockFile = path.join(tempDir(t), ".lock");
      const holder = startFixture("hold-lock.ts", [lockFile, strategy]);
      await waitForOutput(holder, "locked");
      holder.proc.kill("SIGKILL");
      await holder.exited;
      const started = performance.now();
      const lock = await acquireLock(lockFile, { strategy, timeoutMs: 5_000 });
      const elapsed = performance.now() - started;
      t.diagnostic(`dead ${strategy} holder taken over in ${elapsed.toFixed(1)} ms`);
      assert.ok(elapsed < 250, `takeover took ${elapsed.toFixed(0)} ms`);
      await lock.release();
    });

    test("the lock never keeps a finished process alive", async (t) => {
      const lockFile = path.join(tempDir(t), ".lock");
      // "exit" mode acquires and returns without releasing: the process must end on its own.
      const child = startFixture("hold-lock.ts", [lockFile, strategy, "exit"]);
      const code = await Promise.race([child.exited, sleep(3_000).then(() => "still running")]);
      assert.equal(code, 0, child.stderr());
      // A process that ended is no holder, whichever way it ended.
      const lock = await acquireLock(lockFile, { strategy, timeoutMs: 2_000 });
      await lock.release();
    });

    test("a waiter killed while in the queue never holds up the ones behind it", async (t) => {
      const lockFile = path.join(tempDir(t), ".lock");
      const holder = startFixture("hold-lock.ts", [lockFile, strategy]);
      await waitForOutput(holder, "locked");
      const queued = startFixture("hold-lock.ts", [lockFile, strategy]);
      const ticketOf = () =>
        fs.existsSync(lockDir(lockFile))
          ? fs.readdirSync(lockDir(lockFile)).filter((n) => /^w\d+$/.test(n))
          : [];
      for (let i = 0; i < 200 && ticketOf().length === 0; i++) await sleep(10);
      assert.equal(ticketOf().length, 1, "the second process waits in the queue");
      queued.proc.kill("SIGKILL");
      await queued.exited;
      let acquiredAt = 0;
      const waiting = acquireLock(lockFile, { strategy, timeoutMs: 5_000 }).then((lock) => {
        acquiredAt = performance.now();
        return lock;
      });
      await sleep(100);
      const releasedAt = performance.now();
      holder.proc.stdin?.write("release\n");
      const lock = await waiting;
      t.diagnostic(`next waiter in ${(acquiredAt - releasedAt).toFixed(0)} ms after the release`);
      assert.ok(acquiredAt - releasedAt < 1_000, "the dead waiter's place is skipped");
      assert.deepEqual(ticketOf(), [], "its ticket is gone");
      await lock.release();
      assert.equal(await holder.exited, 0);
    });

    test("mutual exclusion holds with 6 processes, two of them killed while holding", async (t) => {
      const base = tempDir(t);
      const lockFile = path.join(base, ".lock");
      const data = path.join(base, "data");
      fs.mkdirSync(data);
      fs.writeFileSync(path.join(data, "counter"), "0");
      const iterations = 12;
      const dieAt = [-1, -1, -1, -1, 3, 7];
      const started = performance.now();
      const workers = dieAt.map((d) =>
        startFixture("lock-worker.ts", [lockFile, strategy, data, String(iterations), String(d)]),
      );
      const codes = await Promise.all(workers.map((w) => w.exited));
      t.diagnostic(`6 workers x ${iterations} in ${(performance.now() - started).toFixed(0)} ms`);
      assert.deepEqual(
        codes,
        dieAt.map((d) => (d === -1 ? 0 : "SIGKILL")),
        workers.map((w) => w.stderr()).join("\n"),
      );
      assert.equal(fs.existsSync(path.join(data, "violations")), false, "two holders at once");
      const expected = dieAt.reduce((sum, d) => sum + (d === -1 ? iterations : d), 0);
      assert.equal(Number(fs.readFileSync(path.join(data, "counter"), "utf8")), expected);
    });
  });
}

test("16 writers are served in turn: nobody times out while the others keep the lock", {
  skip: !posix,
  timeout: 60_000,
}, async (t) => {
  const base = tempDir(t);
  const lockFile = path.join(base, ".lock");
  const data = path.join(base, "data");
  fs.mkdirSync(data);
  const writers = 16;
  const iterations = 20;
  const started = performance.now();
  const workers = Array.from({ length: writers }, () =>
    startFixture("fair-worker.ts", [
      lockFile,
      defaultLockStrategy(),
      data,
      String(iterations),
      "10",
      "5000",
    ]),
  );
  const codes = await Promise.all(workers.map((w) => w.exited));
  const elapsed = performance.now() - started;
  assert.deepEqual(
    codes,
    workers.map(() => 0),
    workers.map((w) => w.stderr()).join("\n"),
  );
  assert.equal(fs.existsSync(path.join(data, "violations")), false, "two holders at once");
  const timeouts = fs.existsSync(path.join(data, "timeouts"))
    ? fs.readFileSync(path.join(data, "timeouts"), "utf8")
    : "";
  const waits = fs
    .readFileSync(path.join(data, "waits"), "utf8")
    .trim()
    .split("\n")
    .map((line) => Number(line.split(" ")[1]))
    .sort((a, b) => a - b);
  // In turn, nobody waits much longer than for every other writer to have one go. A handover
  // costs what this machine makes it cost, so the bound is measured, not assumed.
  const handover = elapsed / waits.length;
  const bound = 3 * writers * handover;
  const max = waits.at(-1) as number;
  t.diagnostic(
    `${waits.length} acquisitions in ${elapsed.toFixed(0)} ms (${handover.toFixed(1)} ms each): median wait ${waits[waits.length >> 1]} ms, max ${max} ms, bound ${bound.toFixed(0)} ms`,
  );
  assert.equal(timeouts, "", "no writer timed out");
  assert.equal(waits.length, writers * iterations);
  assert.ok(max <= bound, `a writer waited ${max} ms, over ${bound.toFixed(0)} ms`);
});

test("socket lock: a stray connection neither blocks release nor keeps the process alive", {
  skip: !socketLockSupported() || process.platform !== "linux",
  timeout: 10_000,
}, async (t) => {
  const lockFile = path.join(tempDir(t), ".lock");
  const lock = await acquireLock(lockFile, { strategy: "socket" });
  const client = net.connect(socketName(lockFile));
  const closed = new Promise<void>((resolve) => client.on("close", () => resolve()));
  client.on("error", () => {});
  const dropped = await Promise.race([closed.then(() => true), sleep(1_000).then(() => false)]);
  client.destroy();
  assert.equal(dropped, true, "the holder drops a connection at once");
  const released = await Promise.race([
    lock.release().then(() => true),
    sleep(1_000).then(() => false),
  ]);
  assert.equal(released, true, "release() finished");
  const again = await acquireLock(lockFile, { strategy: "socket", timeoutMs: 500 });
  await again.release();
});

describe("file lock: generation files", { skip: !posix, timeout: 20_000 }, () => {
  const strategy = "file" as const;

  function writeGeneration(lockFile: string, n: number, content: string, ageMs = 0): void {
    const dir = lockDir(lockFile);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, String(n));
    fs.writeFileSync(file, content);
    if (ageMs > 0) {
      const then = new Date(Date.now() - ageMs);
      fs.utimesSync(file, then, then);
    }
  }

  async function deadPid(): Promise<number> {
    const child = startFixture("hold-lock.ts", ["/nonexistent/.lock", "bogus"]);
    const pid = child.proc.pid as number;
    await child.exited;
    return pid;
  }

  test("a stale generation whose pid is dead is taken over at once", async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    const pid = await deadPid();
    writeGeneration(lockFile, 41, JSON.stringify({ pid, host: os.hostname(), token: "dead" }));
    const started = performance.now();
    const lock = await acquireLock(lockFile, { strategy, timeoutMs: 2_000 });
    assert.ok(performance.now() - started < 250);
    assert.deepEqual(fs.readdirSync(lockDir(lockFile)), ["42"], "older generations are removed");
    assert.equal(readJson(path.join(lockDir(lockFile), "42")).pid, process.pid);
    await lock.release();
    assert.deepEqual(fs.readdirSync(lockDir(lockFile)), ["43"]);
    assert.equal(readJson(path.join(lockDir(lockFile), "43")).free, true);
  });

  test("an empty generation left by a killed writer is taken over at once", async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    // What a writer killed between creating its generation and writing it leaves: the empty
    // file and its claim, which names the dead writer. Without a claim it is the same.
    const pid = await deadPid();
    writeGeneration(lockFile, 7, "");
    const claim = path.join(lockDir(lockFile), `.7-${pid}-abcd1234`);
    fs.writeFileSync(claim, JSON.stringify({ pid, host: os.hostname() }));
    for (const round of ["with its claim", "without a claim"]) {
      const started = performance.now();
      const lock = await acquireLock(lockFile, { strategy, timeoutMs: 5_000 });
      const elapsed = performance.now() - started;
      t.diagnostic(`empty generation ${round}: taken over in ${elapsed.toFixed(1)} ms`);
      assert.ok(elapsed < 250, `${round}: took ${elapsed.toFixed(0)} ms`);
      await lock.release();
      assert.equal(fs.existsSync(claim), false, "the dead writer's claim is cleaned up");
      const top = Math.max(...fs.readdirSync(lockDir(lockFile)).map(Number));
      writeGeneration(lockFile, top + 1, "");
    }
  });

  test("an empty generation whose writer is alive is never stolen", async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    // A live process, caught between creating its generation and writing it (as on a file
    // system without hard links): its claim says who it is.
    const writer = startFixture("hold-lock.ts", [path.join(tempDir(t), ".other"), "file"]);
    await waitForOutput(writer, "locked");
    const pid = writer.proc.pid as number;
    writeGeneration(lockFile, 3, "");
    fs.writeFileSync(
      path.join(lockDir(lockFile), `.3-${pid}-abcd1234`),
      JSON.stringify({ pid, host: os.hostname() }),
    );
    await assert.rejects(acquireLock(lockFile, { strategy, timeoutMs: 300 }), {
      code: "LOCK_TIMEOUT",
    });
    writer.proc.kill("SIGKILL");
    await writer.exited;
    const started = performance.now();
    const lock = await acquireLock(lockFile, { strategy, timeoutMs: 5_000 });
    assert.ok(performance.now() - started < 250, "taken over at once once its writer died");
    await lock.release();
  });

  test("a holder on another host is never judged dead", async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    const pid = await deadPid();
    writeGeneration(lockFile, 3, JSON.stringify({ pid, host: `not-${os.hostname()}`, token: "x" }));
    await assert.rejects(acquireLock(lockFile, { strategy, timeoutMs: 150 }), (error) => {
      assert.ok(error instanceof BatonError);
      assert.equal(error.code, "LOCK_TIMEOUT");
      assert.match(error.hint, /\.lock\.d/);
      return true;
    });
  });

  test("a live pid that started later than the holder (a reused pid) is taken over", {
    skip: process.platform !== "linux",
  }, async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    // Our own pid is alive, but the recorded start time says the holder was another process.
    const stale = { pid: process.pid, host: os.hostname(), token: "old", start: "1" };
    writeGeneration(lockFile, 5, JSON.stringify(stale));
    const lock = await acquireLock(lockFile, { strategy, timeoutMs: 1_000 });
    const mine = readJson(path.join(lockDir(lockFile), "6"));
    assert.match(mine.start, /^\d+$/);
    assert.match(mine.pidns, /^pid:\[\d+\]$/);
    await lock.release();
  });

  test("a holder in another pid namespace is never judged dead", {
    skip: process.platform !== "linux",
  }, async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    const pid = await deadPid();
    const other = { pid, host: os.hostname(), token: "x", pidns: "pid:[1]" };
    writeGeneration(lockFile, 3, JSON.stringify(other));
    await assert.rejects(acquireLock(lockFile, { strategy, timeoutMs: 150 }), {
      code: "LOCK_TIMEOUT",
    });
  });

  test("only the highest generation decides, whatever lower files remain", async (t) => {
    const lockFile = path.join(tempDir(t), ".lock");
    const me = JSON.stringify({ pid: process.pid, host: os.hostname(), token: "live" });
    // A live holder's number below a free top (a slow contender's withdrawn attempt): free.
    writeGeneration(lockFile, 3, me);
    writeGeneration(lockFile, 9, JSON.stringify({ free: true }));
    const lock = await acquireLock(lockFile, { strategy, timeoutMs: 500 });
    assert.deepEqual(fs.readdirSync(lockDir(lockFile)), ["10"]);
    await lock.release();
    // A free number below a live top: held.
    writeGeneration(lockFile, 2, JSON.stringify({ free: true }));
    writeGeneration(lockFile, 20, me);
    await assert.rejects(acquireLock(lockFile, { strategy, timeoutMs: 150 }), {
      code: "LOCK_TIMEOUT",
    });
  });

  test("a read-only lock folder fails with IO_ERROR, not a crash", (t) => {
    // Root writes through permissions: as root the command runs as an unprivileged user that
    // owns the workspace, so the folder's mode is enforced either way.
    const dir = makeWorkspace();
    const asUser = unprivilegedRunner();
    if (asUser) spawnSync("chown", ["-R", `${asUser.uid}:${asUser.gid}`, dir]);
    const folder = path.join(dir, ".baton", ".lock.d");
    fs.mkdirSync(folder, { recursive: true });
    if (asUser) fs.chownSync(folder, asUser.uid, asUser.gid);
    fs.chmodSync(folder, 0o555);
    t.after(() => fs.chmodSync(folder, 0o755));
    const run = spawnSync(
      asUser?.node ?? process.execPath,
      [asUser?.bin ?? BATON_BIN, "--json", "seed", "Blocked"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", HOME: dir },
        ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}),
      },
    );
    assert.equal(run.status, 7, run.stdout + run.stderr);
    assert.equal(JSON.parse(run.stdout).error.code, "IO_ERROR");
    assert.equal(fs.existsSync(knowledge(dir, "topics", "seed-blocked")), false);
  });
});
