/**
 * A cloned repository is untrusted: every state folder and file Baton uses is replaced, one at a
 * time, by a symlink to a place outside the repository, and every command is run against it.
 * Nothing outside may change, no outside byte may be copied into the repository or printed, and
 * each case must actually be refused somewhere (UNSAFE_PATH), never crash.
 *
 * The cases are shared by symlink-walk-<n>.test.ts, a part each, so the test runner spreads them
 * over its workers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Io, run } from "../../src/cli/main.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import { baton, makeTempRepo } from "../helpers.ts";

const MARKER = "OUTSIDE-SECRET-7d1c";

interface Base {
  dir: string;
  seed: string;
  plan: string;
  spike: string;
  ticket: string;
  spec: string;
  session: string;
  /** The session the walk's own seed archives, so `seed --resume` has one to resume. */
  second: string;
  archive: string;
  /** A work session on the spec `impl`, implementing, holding task 1. */
  work: string;
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function must(dir: string, args: string[], input?: string): any {
  const r = baton(dir, [...args, "--json"], {}, input);
  assert.equal(r.code, 0, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.json;
}

/** A repository holding every kind of state Baton keeps, committed. */
function buildBase(): Base {
  const dir = makeTempRepo("baton-walk-base-");
  git(dir, "config", "user.email", "walk@example.com");
  git(dir, "config", "user.name", "Walk Test");
  fs.writeFileSync(path.join(dir, "package.json"), '{"name":"walk","dependencies":{}}\n');
  fs.mkdirSync(path.join(dir, "src"));
  fs.writeFileSync(path.join(dir, "src", "login.ts"), "export const login = () => 1;\n");
  must(dir, ["init", "--agent", "claude", "--agent", "codex"]);
  const seed = must(dir, ["seed", "Login", "--body", "Users sign in"]).topic.id;
  const spike = must(dir, ["spike", "Token storage", "--body", "Keep them server side"]).topic.id;
  const plan = must(dir, [
    "plan",
    "Login rollout",
    "--body",
    "Goal: ship login\n\n- [ ] Add provider\n- [ ] Store tokens\n",
  ]).topic.id;
  must(dir, ["plan", "context", plan]);
  must(dir, ["plan", "conflicts", plan, "--recommended"]);
  const tasks = [
    {
      id: "IMPL-1",
      title: "Add provider",
      files: ["src/login.ts"],
      acceptance: ["a user signs in"],
    },
    {
      id: "IMPL-2",
      title: "Store tokens",
      depends_on: ["IMPL-1"],
      files: ["src/tokens.ts"],
      acceptance: ["tokens persist"],
    },
  ];
  must(dir, ["plan", "tasks", plan, "--from", "-"], JSON.stringify(tasks));
  const backlog = must(dir, ["backlog", plan]);
  const ticket = backlog.tickets[0].id;
  const session = backlog.session_id ?? must(dir, ["seed", "--sessions"]).sessions[0].session_id;
  const second = must(dir, ["seed", "Second idea", "--body", "Another"]).session.session_id;
  must(dir, ["spec", "new", "auth"]);
  must(dir, ["spec", "new", "impl"]);
  must(dir, ["spec", "start", "impl", "--force"]);
  const work = must(dir, ["work", "start", "impl", "--task", "1", "--name", "walk"]).session.id;
  must(dir, ["journal", "note", "a finding"]);
  must(dir, ["journal", "next", "a next step"]);
  const archives = fs.readdirSync(path.join(dir, ".baton", "archive"));
  assert.ok(archives.length > 0, "the completed session archived a journal");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "state");
  return {
    dir,
    seed,
    plan,
    spike,
    ticket,
    spec: "auth",
    session,
    second,
    archive: archives[0] as string,
    work,
  };
}

/** Every command, with arguments that reach the state it reads or writes. */
function walk(b: Base, tasksFile: string): string[][] {
  const req = ".baton/planning/auth";
  return [
    ["status"],
    ["doctor"],
    ["doctor", "--fix"],
    ["init"],
    ["init", "--agent", "claude", "--agent", "codex"],
    ["seed", "--active"],
    ["seed", "--sessions"],
    ["seed", "Walk seed", "--body", "x"],
    ["seed", "--resume", b.second],
    ["spike", "Walk spike", "--body", "y"],
    ["plan", "Walk plan", "--body", "- [ ] one\n- [ ] two\n"],
    ["plan", "status", b.plan],
    ["plan", "context", b.plan, "--refresh"],
    ["plan", "conflicts", b.plan, "--recommended"],
    ["plan", "tasks", b.plan],
    ["plan", "tasks", b.plan, "--from", tasksFile],
    ["plan", "verify", b.plan],
    ["plan", "next", b.plan],
    ["plan", "task", b.plan, "IMPL-1"],
    ["plan", "task", b.plan, "IMPL-1", "--status", "in_progress"],
    ["plan", "run", "Walk run goal", "--yes"],
    ["backlog", b.plan],
    ["topic", "list"],
    ["topic", "show", b.seed],
    ["topic", "show", b.plan],
    ["ticket", "list", "--all"],
    ["ticket", "list", "--fresh"],
    ["ticket", "show", b.ticket],
    ["ticket", "set-status", b.ticket, "in_progress"],
    ["journal"],
    ["journal", "show"],
    ["journal", "note", "walk note"],
    ["journal", "decide", "walk decision"],
    ["journal", "next", "walk step"],
    ["journal", "done", "1"],
    ["resume"],
    ["spec", "list"],
    ["spec", "status", "--spec", b.spec],
    ["spec", "activate", b.spec],
    ["spec", "deactivate"],
    ["spec", "setup", "--spec", req],
    ["spec", "update-branch", "--spec", b.spec, "--branch", "feature/auth"],
    ["spec", "migrate"],
    ["spec", "new", "walk-spec"],
    ["spec", "lint", b.spec],
    ["spec", "trace", b.spec],
    ["spec", "submit", b.spec],
    ["spec", "request-changes", b.spec, "--comment", "more"],
    ["spec", "submit", b.spec],
    ["spec", "reject", b.spec],
    ["spec", "submit", b.spec],
    ["spec", "approve", b.spec, "--by", "someone-else"],
    ["spec", "start", b.spec],
    ["spec", "complete", b.spec, "--force"],
    ["work", "next", "impl"],
    ["work", "list"],
    ["work", "show", b.work],
    ["work", "heartbeat", b.work],
    ["work", "claim", "impl", "--session", b.work],
    ["work", "progress", b.work, "--task", "2", "--percent", "50"],
    ["work", "release", b.work, "--task", "2"],
    ["work", "done", b.work, "--task", "1"],
    ["work", "spawn", b.work, "--name", "walk child"],
    ["work", "message", b.work, "walk message"],
    ["work", "message", "impl", "walk broadcast"],
    ["work", "block", b.work, "--on", "2", "--reason", "walk"],
    ["work", "unblock", b.work],
    ["work", "wait", b.work, "--reason", "walk"],
    ["work", "tree", "impl"],
    ["work", "timeline", "impl"],
    ["work", "end", b.work, "--state", "done"],
    ["work", "start", "impl", "--name", "walk two"],
    ["import", "taskmaster", path.join(path.dirname(tasksFile), "taskmaster")],
    ["journal", "archive"],
  ];
}

/** Commands the walk leaves out, and why. */
const NOT_WALKED: Record<string, string> = {
  mcp: "a stdio server; its tools run the same use cases (test/mcp/confinement.test.ts)",
  serve:
    "an HTTP server; its routes run the same use cases, confined (test/http/handler.test.ts), and its watch follows no link (test/store/watch.test.ts)",
  "spec switch": "interactive; it needs a terminal and then runs spec activate",
  "merge-driver":
    "git's merge driver: it reads and writes the temporary files git names, never a workspace's (test/cli/merge.test.ts)",
};

/** Repository-relative paths replaced by an outside symlink, one case each. */
function cases(b: Base): string[] {
  const k = ".baton/knowledge";
  const topic = `${k}/topics/${b.plan}`;
  return [
    ".baton",
    k,
    `${k}/topics`,
    topic,
    `${topic}/.task`,
    `${k}/sessions`,
    ".baton/tickets",
    ".baton/archive",
    ".baton/planning",
    ".baton/planning/auth",
    ".baton/cache",
    ".baton/.lock.d",
    ".claude",
    ".claude/commands/baton",
    ".agents/skills",
    ".baton/.writing",
    ".baton/events.jsonl",
    ".baton/journal.json",
    ".baton/config.yaml",
    `${k}/index.json`,
    `${k}/index.log.jsonl`,
    `${k}/.active-planning.json`,
    `${k}/sessions/${b.session}.json`,
    `${k}/topics/${b.seed}/sources.md`,
    `${k}/topics/${b.seed}/seed.md`,
    `${topic}/plan.md`,
    `${topic}/planning-notes.md`,
    `${topic}/workflow.json`,
    `${topic}/.task/IMPL-1.json`,
    `${topic}/backlog.json`,
    `.baton/tickets/${b.ticket}.md`,
    `.baton/archive/${b.archive}`,
    ".baton/planning/auth/status.yaml",
    ".baton/planning/auth/requirements.md",
    ".baton/planning/auth/tasks.md",
    ".baton/planning/.active",
    ".baton/planning/impl/work",
    ".baton/planning/impl/work/claims",
    `.baton/planning/impl/work/${b.work}.json`,
    ".baton/planning/impl/work/claims/1.json",
    ".baton/planning/impl/events.jsonl",
    ".baton/cache/tickets.jsonl",
    "PLANNING.md",
    ".gitignore",
    ".gitattributes",
    ".mcp.json",
    ".codex/config.toml",
    "AGENTS.md",
    "CLAUDE.md",
  ];
}

/** Moves what is at `rel` in `dir` to `outside` (adding decoys and the marker), links it back. */
function plantLink(dir: string, rel: string, outside: string): void {
  const inside = path.join(dir, rel);
  let isDir = false;
  try {
    isDir = fs.statSync(inside).isDirectory();
  } catch {
    isDir = !path.basename(rel).includes(".") || rel.endsWith(".d") || rel.endsWith("skills");
  }
  if (isDir) {
    fs.mkdirSync(outside, { recursive: true });
    if (fs.existsSync(inside)) fs.cpSync(inside, outside, { recursive: true });
    // What an attacker would aim a state folder at: a project's own files, some of them named
    // like Baton's (task ids, lock generations, Markdown).
    for (const name of ["package.json", "tsconfig.json", "IMPL-9.json", "12345", "notes.md"]) {
      fs.writeFileSync(path.join(outside, name), `{"secret":"${MARKER}"}\n`);
    }
  } else {
    fs.mkdirSync(path.dirname(outside), { recursive: true });
    const text = fs.existsSync(inside) ? fs.readFileSync(inside, "utf8") : "";
    fs.writeFileSync(outside, withMarker(rel, text));
  }
  fs.rmSync(inside, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(inside), { recursive: true });
  fs.symlinkSync(outside, inside);
}

/** The file's text with the marker where a reader would pick it up, keeping the format valid. */
function withMarker(rel: string, text: string): string {
  if (rel.endsWith(".json")) {
    try {
      const data = JSON.parse(text);
      if (data && typeof data === "object" && !Array.isArray(data)) {
        return `${JSON.stringify({ ...data, title: data.title ?? MARKER, note: MARKER }, null, 2)}\n`;
      }
    } catch {
      // Not JSON after all: appended below.
    }
  }
  if (rel.endsWith(".yaml")) return `${text}# ${MARKER}\n`;
  if (rel.endsWith(".toml")) return `${text}# ${MARKER}\n`;
  return `${text}\n${MARKER}\n`;
}

/** Every file and link under `dir` with its bytes (a link as its target), for before/after. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isSymbolicLink()) out.set(rel, `-> ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        out.set(`${rel}/`, "");
        visit(full);
      } else out.set(rel, fs.readFileSync(full, "latin1"));
    }
  };
  visit(dir);
  return out;
}

/** Files under the repository (git's folder aside) whose bytes carry the marker. */
function leaked(dir: string): string[] {
  const found: string[] = [];
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) visit(full);
      else if (fs.readFileSync(full, "latin1").includes(MARKER))
        found.push(path.relative(dir, full));
    }
  };
  visit(dir);
  return found;
}

async function runInProcess(cwd: string, argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd };
  const code = await run([...argv, "--json"], io);
  return { code, out };
}

/** Part `part` of `parts` of the walk: the cases whose index falls to it, and in part 1 the checks. */
export function describeWalk(part: number, parts: number): void {
  describe(`every command against every state path replaced by an outside symlink (part ${part} of ${parts})`, () => {
    let base: Base;
    let scratch: string;
    let tasksFile: string;
    before(() => {
      base = buildBase();
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), "baton-walk-"));
      tasksFile = path.join(scratch, "tasks.json");
      fs.writeFileSync(
        tasksFile,
        JSON.stringify([{ id: "IMPL-1", title: "Replaced", acceptance: ["done"] }]),
      );
      // Another tool's task list, named on the command line: read where it is.
      fs.mkdirSync(path.join(scratch, "taskmaster"));
      fs.writeFileSync(
        path.join(scratch, "taskmaster", "tasks.json"),
        JSON.stringify({ master: { tasks: [{ id: 1, title: "Imported", status: "pending" }] } }),
      );
    });
    after(() => {
      fs.rmSync(base.dir, { recursive: true, force: true });
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    if (part === 1)
      test("the walk covers every command", () => {
        const walked = new Set(walk(base, "x").map((argv) => commandOf(argv)));
        const missing = COMMANDS.map((c) => c.path.join(" ")).filter(
          (name) => !walked.has(name) && NOT_WALKED[name] === undefined,
        );
        assert.deepEqual(
          missing,
          [],
          "add each new command to walk() (or NOT_WALKED, with a reason)",
        );
      });

    if (part === 1)
      test("control: in a clean clone the walk's arguments are right and reach the state", async () => {
        const clone = path.join(scratch, "control");
        git(scratch, "clone", "-q", base.dir, clone);
        const failures: string[] = [];
        for (const argv of walk(base, tasksFile)) {
          const { code, out } = await runInProcess(clone, argv);
          if (code !== 0)
            failures.push(
              `${argv.join(" ")}: ${/"code":\s*"([A-Z_]+)"/.exec(out)?.[1]} ${out.slice(0, 400)}`,
            );
        }
        assert.deepEqual(failures, []);
      });

    test("nothing outside changes, nothing outside is copied in or printed", async (t) => {
      let n = 0;
      const mine = cases(base).filter((_, i) => i % parts === part - 1);
      assert.ok(mine.length > 0, `part ${part} of ${parts} has cases`);
      for (const rel of mine) {
        await t.test(rel, async () => {
          n++;
          const clone = path.join(scratch, `case-${n}`, "repo");
          const outside = path.join(scratch, `case-${n}`, "outside", path.basename(rel));
          fs.mkdirSync(path.dirname(clone), { recursive: true });
          git(path.dirname(clone), "clone", "-q", base.dir, clone);
          plantLink(clone, rel, outside);
          const outsideRoot = path.dirname(outside);
          const before = tree(outsideRoot);
          const refused: string[] = [];
          const crashed: string[] = [];
          const printed: string[] = [];
          for (const argv of walk(base, tasksFile)) {
            const { out } = await runInProcess(clone, argv);
            const error = /"code":\s*"([A-Z_]+)"/.exec(out)?.[1];
            if (error === "UNSAFE_PATH") refused.push(argv.join(" "));
            if (error === "INTERNAL") crashed.push(`${argv.join(" ")}: ${out.slice(0, 300)}`);
            if (out.includes(MARKER)) printed.push(argv.join(" "));
          }
          assert.deepEqual(tree(outsideRoot), before, "the outside target is unchanged");
          assert.deepEqual(leaked(clone), [], "no outside bytes copied into the repository");
          assert.deepEqual(printed, [], "no outside bytes printed");
          assert.deepEqual(crashed, [], "no command crashed");
          assert.ok(refused.length > 0, `some command must refuse ${rel} with UNSAFE_PATH`);
          fs.rmSync(path.dirname(clone), { recursive: true, force: true });
        });
      }
    });
  });
}

function commandOf(argv: string[]): string {
  const words: string[] = [];
  for (const word of argv) {
    if (word.startsWith("-")) break;
    words.push(word);
  }
  let best = "";
  for (const c of COMMANDS) {
    const name = c.path.join(" ");
    if (c.path.every((w, i) => words[i] === w) && name.length > best.length) best = name;
  }
  return best;
}
