/**
 * A repository that carries committed symlinks (anything `git clone` checks out) must not steer
 * Baton outside itself. Each case: a workspace whose state path is a committed symlink to a place
 * outside, a fresh `git clone`, one ordinary command of the built CLI. The command is refused with
 * UNSAFE_PATH naming the link, and nothing outside (nor inside) changes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { baton, snapshotTree } from "../helpers.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "baton-links-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
}

function ok(dir: string, args: string[], input?: string): any {
  const r = baton(dir, [...args, "--json"], {}, input);
  assert.equal(r.code, 0, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.json;
}

interface Case {
  /** The repository to clone from and a folder outside it. */
  origin: string;
  outside: string;
}

let template: { dir: string; plan: string; ticket: string } | undefined;

/**
 * A workspace with a session, a plan with tasks and a backlog, committed; and an outside folder.
 * Each case gets its own copy of one such repository, made once.
 */
function origin(): Case & { plan: string; ticket: string } {
  counter++;
  const base = path.join(scratch, `case-${counter}`);
  const dir = path.join(base, "origin");
  const outside = path.join(base, "outside");
  fs.mkdirSync(outside, { recursive: true });
  template ??= makeTemplate(path.join(scratch, "template"));
  fs.cpSync(template.dir, dir, { recursive: true });
  return { origin: dir, outside, plan: template.plan, ticket: template.ticket };
}

function makeTemplate(dir: string): { dir: string; plan: string; ticket: string } {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q");
  git(dir, "config", "user.email", "t@example.com");
  git(dir, "config", "user.name", "T");
  ok(dir, ["init", "--agent", "claude"]);
  ok(dir, ["seed", "Login", "--body", "Users sign in"]);
  ok(dir, ["spike", "Token storage", "--body", "server side"]);
  const plan = ok(dir, ["plan", "Rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens\n"])
    .topic.id;
  ok(
    dir,
    ["plan", "tasks", plan, "--from", "-", "--skip-context"],
    JSON.stringify([
      { id: "IMPL-1", title: "Add provider", acceptance: ["works"] },
      { id: "IMPL-2", title: "Store tokens", acceptance: ["kept"], depends_on: ["IMPL-1"] },
    ]),
  );
  const ticket = ok(dir, ["backlog", plan]).tickets[0].id;
  ok(dir, ["seed", "Second", "--body", "more"]);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "state");
  return { dir, plan, ticket };
}

/** Replaces `rel` in the origin by a committed symlink to `target`, then clones it. */
function cloneWithLink(c: Case, rel: string, target: string): string {
  const link = path.join(c.origin, rel);
  fs.rmSync(link, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link);
  git(c.origin, "add", "-A", "-f");
  git(c.origin, "commit", "-qm", `link ${rel}`);
  const clone = path.join(path.dirname(c.origin), `clone-${path.basename(rel)}`);
  git(path.dirname(c.origin), "clone", "-q", c.origin, clone);
  assert.ok(fs.lstatSync(path.join(clone, rel)).isSymbolicLink(), "git checked the link out");
  return clone;
}

/** Every file outside with its bytes (and names), to show it is untouched. */
function outsideState(dir: string): Map<string, string> {
  return snapshotTree(dir);
}

function refused(dir: string, args: string[], link: string): void {
  const before = snapshotTree(dir);
  const r = baton(dir, [...args, "--json"]);
  assert.equal(
    r.json?.error?.code,
    "UNSAFE_PATH",
    `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`,
  );
  assert.equal(r.code, 5, "exit code of the data class");
  assert.ok(r.json.error.message.includes(link), `names the link: ${r.json.error.message}`);
  assert.match(r.json.error.message, /outside the repository|points to nothing/);
  assert.match(r.json.error.hint, /changed nothing/);
  assert.deepEqual(snapshotTree(dir), before, `baton ${args.join(" ")} changed the repository`);
}

/** A folder outside holding a project's files, some named like Baton's own. */
function decoyFolder(c: Case, name: string): string {
  const dir = path.join(c.outside, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ["package.json", "tsconfig.json", "IMPL-1.json", "7", "12345", "notes.md"]) {
    fs.writeFileSync(path.join(dir, file), `{"keep": "${file}"}\n`);
  }
  return dir;
}

describe("committed symlinks leading outside the repository", () => {
  test("1. .baton/.writing: a write does not replace the outside file", () => {
    const c = origin();
    const target = path.join(c.outside, "precious.txt");
    fs.writeFileSync(target, "precious\n");
    const clone = cloneWithLink(c, ".baton/.writing", target);
    const before = outsideState(c.outside);
    refused(clone, ["seed", "Another idea"], ".baton/.writing");
    refused(clone, ["journal", "note", "x"], ".baton/.writing");
    assert.deepEqual(outsideState(c.outside), before);
  });

  test("2. a plan's .task folder: plan tasks deletes and writes nothing outside", () => {
    const c = origin();
    const target = decoyFolder(c, "project");
    const clone = cloneWithLink(c, `.baton/knowledge/topics/${c.plan}/.task`, target);
    const before = outsideState(c.outside);
    const link = `.baton/knowledge/topics/${c.plan}/.task`;
    const tasks = JSON.stringify([{ id: "IMPL-1", title: "Only", acceptance: ["a"] }]);
    const r = baton(clone, ["plan", "tasks", c.plan, "--from", "-", "--json"], {}, tasks);
    assert.equal(r.json?.error?.code, "UNSAFE_PATH", r.stdout);
    assert.ok(r.json.error.message.includes(link));
    refused(clone, ["plan", "verify", c.plan], link);
    refused(clone, ["plan", "next", c.plan], link);
    assert.deepEqual(outsideState(c.outside), before);
  });

  test("3. .baton/.lock.d: files with all-digit names outside are not deleted", () => {
    const c = origin();
    const target = decoyFolder(c, "numbers");
    const clone = cloneWithLink(c, ".baton/.lock.d", target);
    const before = outsideState(c.outside);
    refused(clone, ["spike", "More research"], ".baton/.lock.d");
    assert.deepEqual(outsideState(c.outside), before);
  });

  describe("4. writes do not follow a folder link out", () => {
    const cases: {
      rel: (c: { plan: string }) => string;
      args: (c: { plan: string; ticket: string }) => string[];
    }[] = [
      { rel: (c) => `.baton/knowledge/topics/${c.plan}`, args: (c) => ["plan", "tasks", c.plan] },
      { rel: () => ".baton/tickets", args: (c) => ["ticket", "set-status", c.ticket, "done"] },
      { rel: () => ".baton/knowledge", args: () => ["spike", "Into knowledge"] },
      { rel: () => ".baton/knowledge/sessions", args: () => ["seed", "Archives the session"] },
      { rel: () => ".baton/archive", args: () => ["journal", "archive"] },
      { rel: () => ".baton/planning", args: () => ["spec", "new", "auth"] },
      { rel: () => ".baton/cache", args: () => ["ticket", "list"] },
      { rel: () => ".baton", args: () => ["status"] },
      { rel: () => ".claude/commands/baton", args: () => ["init", "--agent", "claude"] },
    ];
    for (const { rel, args } of cases) {
      test(rel({ plan: "<plan>" }), () => {
        const c = origin();
        const linkRel = rel(c);
        // What the folder held, moved outside (as a planted repository would carry it), among
        // a project's own files.
        const target = decoyFolder(c, "folder");
        const real = path.join(c.origin, linkRel);
        if (fs.existsSync(real)) fs.cpSync(real, target, { recursive: true });
        const clone = cloneWithLink(c, linkRel, target);
        const before = outsideState(c.outside);
        refused(clone, args(c), linkRel);
        assert.deepEqual(outsideState(c.outside), before);
      });
    }

    test("events.jsonl: no event is appended to the outside file", () => {
      const c = origin();
      const target = path.join(c.outside, "audit.log");
      fs.writeFileSync(target, "line one\n");
      const clone = cloneWithLink(c, ".baton/events.jsonl", target);
      refused(clone, ["journal", "note", "a finding"], ".baton/events.jsonl");
      assert.equal(fs.readFileSync(target, "utf8"), "line one\n");
    });
  });

  describe("5. reads do not copy outside contents into the repository", () => {
    const secret = "SECRET-9f3a-do-not-copy";
    const cases: {
      rel: (c: { plan: string; ticket: string }) => string;
      args: (c: { plan: string; ticket: string }) => string[];
      text: string;
    }[] = [
      {
        rel: () => "PLANNING.md",
        args: () => ["journal", "archive"],
        text: `# PLANNING\n${secret}\n`,
      },
      { rel: () => ".gitignore", args: () => ["init"], text: `${secret}\n` },
      {
        rel: () => ".baton/knowledge/topics/seed-second/sources.md",
        args: () => ["spike", "Linked spike"],
        text: `# Sources\n${secret}\n`,
      },
      {
        rel: (c) => `.baton/tickets/${c.ticket}.md`,
        args: (c) => ["ticket", "set-status", c.ticket, "done"],
        text: `---\nschema_version: 1\nid: x\ntitle: "${secret}"\nstatus: todo\n---\n${secret}\n`,
      },
      {
        rel: () => ".baton/journal.json",
        args: () => ["journal", "note", "x"],
        text: JSON.stringify({
          schema_version: 1,
          notes: [{ text: secret, at: "2026-01-01T00:00:00Z" }],
        }),
      },
      {
        rel: () => ".mcp.json",
        args: () => ["init", "--agent", "claude"],
        text: `{"secret": "${secret}"}\n`,
      },
    ];
    for (const { rel, args, text } of cases) {
      test(rel({ plan: "<plan>", ticket: "<ticket>" }), () => {
        const c = origin();
        const target = path.join(c.outside, "secret.txt");
        fs.writeFileSync(target, text);
        const linkRel = rel(c);
        const clone = cloneWithLink(c, linkRel, target);
        const r = baton(clone, [...args(c), "--json"]);
        assert.equal(r.json?.error?.code, "UNSAFE_PATH", r.stdout + r.stderr);
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), "not printed");
        for (const [file, bytes] of snapshotTree(clone)) {
          assert.ok(!bytes.includes(secret), `${file} holds the outside file's contents`);
        }
        assert.equal(fs.readFileSync(target, "utf8"), text);
      });
    }

    test("a journal archive that is a link is not read into the new archive", () => {
      const c = origin();
      const archives = fs.readdirSync(path.join(c.origin, ".baton", "archive"));
      assert.ok(archives.length > 0);
      const target = path.join(c.outside, "secret.md");
      fs.writeFileSync(target, `${secret}\n`);
      const clone = cloneWithLink(c, `.baton/archive/${archives[0]}`, target);
      const r = baton(clone, ["resume", "--json"]);
      assert.ok(!r.stdout.includes(secret), "resume does not print it");
      const archive = baton(clone, ["journal", "archive", "--json"]);
      assert.ok(!archive.stdout.includes(secret));
      for (const [file, bytes] of snapshotTree(clone)) {
        if (file.includes(archives[0] as string)) continue;
        assert.ok(!bytes.includes(secret), `${file} holds the outside file's contents`);
      }
    });
  });
});

describe("links that stay inside, and files the user names", () => {
  test("a state folder linked to another folder inside the repository is followed", () => {
    const c = origin();
    const real = path.join(c.origin, "state", "tickets");
    fs.mkdirSync(path.dirname(real), { recursive: true });
    fs.renameSync(path.join(c.origin, ".baton", "tickets"), real);
    const clone = cloneWithLink(c, ".baton/tickets", "../state/tickets");
    const r = ok(clone, ["ticket", "set-status", c.ticket, "done"]);
    assert.equal(r.ticket?.status ?? r.status, "done");
    const text = fs.readFileSync(path.join(clone, "state", "tickets", `${c.ticket}.md`), "utf8");
    assert.match(text, /status: done/);
    assert.ok(fs.lstatSync(path.join(clone, ".baton", "tickets")).isSymbolicLink(), "link kept");
  });

  test("CLAUDE.md linked to AGENTS.md gets the block once, through the link", () => {
    const c = origin();
    const clone = cloneWithLink(c, "CLAUDE.md", "AGENTS.md");
    ok(clone, ["init", "--agent", "claude"]);
    assert.ok(fs.lstatSync(path.join(clone, "CLAUDE.md")).isSymbolicLink());
    const text = fs.readFileSync(path.join(clone, "AGENTS.md"), "utf8");
    assert.equal(text.split("baton resume").length - 1 > 0, true);
  });

  test("--file and --from may name a file anywhere, links included", () => {
    const c = origin();
    const clone = path.join(path.dirname(c.origin), "clone-user-files");
    git(path.dirname(c.origin), "clone", "-q", c.origin, clone);
    const notes = path.join(c.outside, "notes.md");
    fs.writeFileSync(notes, "Research notes from elsewhere\n");
    const link = path.join(c.outside, "notes-link.md");
    fs.symlinkSync(notes, link);
    const spike = ok(clone, ["spike", "Outside notes", "--file", link]);
    const doc = fs.readFileSync(path.join(clone, spike.topic.path), "utf8");
    assert.match(doc, /Research notes from elsewhere/);
    const tasks = path.join(c.outside, "tasks.json");
    fs.writeFileSync(
      tasks,
      JSON.stringify([{ id: "IMPL-1", title: "From outside", acceptance: ["a"] }]),
    );
    ok(clone, ["plan", "tasks", c.plan, "--from", tasks]);
  });

  test("a spec whose recorded path leads outside is refused, not read", () => {
    const c = origin();
    fs.mkdirSync(path.join(c.outside, "spec"));
    fs.writeFileSync(path.join(c.outside, "spec", "requirements.md"), "# Requirements\n");
    ok(c.origin, ["spec", "new", "evil"]);
    const status = path.join(c.origin, ".baton", "planning", "evil", "status.yaml");
    const text = fs.readFileSync(status, "utf8");
    assert.match(text, /^spec: .*$/m);
    fs.writeFileSync(status, text.replace(/^spec: .*$/m, 'spec: "../outside/spec"'));
    git(c.origin, "add", "-A");
    git(c.origin, "commit", "-qm", "evil spec");
    const r = baton(c.origin, ["spec", "lint", "evil", "--json"]);
    assert.notEqual(r.code, 0);
    assert.ok(["UNSAFE_PATH", "INVALID_INPUT"].includes(r.json?.error?.code), r.stdout);
  });
});
