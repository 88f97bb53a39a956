import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { makeWorkspace } from "../helpers.ts";
import { connect, ok as mcpOk } from "../mcp/support.ts";
import { ok, read } from "./support.ts";

/** The generated Gathered State section of PLANNING.md. */
function gathered(dir: string): string {
  const doc = read(dir, "PLANNING.md");
  const start = doc.indexOf("<!-- baton:begin gathered-state -->");
  const stop = doc.indexOf("<!-- baton:end gathered-state -->", start);
  assert.ok(start !== -1 && stop !== -1, doc);
  return doc.slice(start, stop);
}

/** The lines under "Recent changes:" in Gathered State (none when it has no such list). */
function recentChanges(dir: string): string[] {
  const section = gathered(dir);
  const at = section.indexOf("Recent changes:\n");
  if (at === -1) return [];
  return section
    .slice(at + "Recent changes:\n".length)
    .split("\n")
    .filter((l) => l.startsWith("- "));
}

function lastChanges(dir: string): string[] {
  const r = ok(dir, ["resume", "--json"]).json;
  return r.sections.find((s: any) => s.title === "Last changes")?.lines ?? [];
}

/** Nothing a reader has to decode: no JSON, no envelope fields, no digests. */
function assertReadable(line: string): void {
  assert.doesNotMatch(line, /[{}[\]]/, `a JSON dump: ${line}`);
  assert.doesNotMatch(line, /schema_version|content_hash|approved_hash/, line);
  assert.doesNotMatch(line, /[0-9a-f]{16,}/i, `a full hash: ${line}`);
  assert.doesNotMatch(
    line,
    /\b(?:topic|session|ticket|journal|plan|spec)\.[a-z_]+/,
    `an event type: ${line}`,
  );
}

describe("the journal's recent changes", () => {
  test("a fresh PLANNING.md after a completed session carries none of that session's events", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "OAuth login"]);
    ok(dir, ["spike", "Token storage"]);
    ok(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add provider"]);
    assert.ok(recentChanges(dir).some((l) => l.includes("spike-token-storage")));
    ok(dir, ["backlog"]);
    const archive = fs.readdirSync(path.join(dir, ".baton", "archive"));
    assert.equal(archive.length, 1, "the session's journal was archived");
    assert.deepEqual(recentChanges(dir), [], gathered(dir));
    assert.doesNotMatch(gathered(dir), /seed-oauth-login|spike-token-storage|plan-oauth-rollout/);

    // The next change is the fresh journal's own, and the only one it lists.
    ok(dir, ["spike", "Rate limits"]);
    const lines = recentChanges(dir);
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0] as string, /created spike spike-rate-limits \(baton spike\)$/);
  });

  test("a session replaced by another, or an archive on demand, starts the list afresh", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "First idea"]);
    ok(dir, ["spike", "First question"]);
    ok(dir, ["seed", "Second idea"]);
    const lines = recentChanges(dir);
    assert.ok(lines.length > 0);
    assert.ok(!lines.some((l) => /first/i.test(l)), lines.join("\n"));
    assert.match(lines.at(-1) as string, /started the session of seed-second-idea \(baton seed\)$/);

    ok(dir, ["journal", "archive"]);
    assert.deepEqual(recentChanges(dir), []);
  });

  test("recent changes and resume say what changed and by which command, never raw data", () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "OAuth login"]);
    ok(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens"]);
    ok(dir, ["spec", "new", "user-auth"]);
    ok(dir, ["spec", "submit", "user-auth", "--by", "ana"]);
    ok(dir, ["spec", "approve", "user-auth", "--by", "bo"]);
    ok(dir, ["journal", "decide", "Use arctic"]);

    const journal = recentChanges(dir);
    assert.equal(journal.length, 8, journal.join("\n"));
    for (const line of journal) {
      assertReadable(line);
      assert.match(line, /^- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \S.* \(baton [a-z -]+\)$/, line);
    }
    assert.ok(journal.some((l) => l.endsWith(" created plan plan-oauth-rollout (baton plan)")));
    assert.match(
      journal.find((l) => l.includes("approved")) as string,
      / approved spec user-auth: in_review -> approved, by bo \(baton spec approve\)$/,
    );
    assert.match(journal.at(-1) as string, / decided: Use arctic \(baton journal decide\)$/);
    // The arguments of a command are not repeated as data: only the command is named.
    assert.ok(!journal.some((l) => l.includes("--body") || l.includes("- [ ]")));

    ok(dir, ["backlog"]);
    const resume = lastChanges(dir);
    assert.ok(resume.length >= 10, resume.join("\n"));
    for (const line of resume) {
      if (line.startsWith("- …")) continue;
      assertReadable(line);
    }
    assert.match(
      resume[0] as string,
      /completed the session of seed-oauth-login: plan plan-oauth-rollout became 2 tickets \(baton backlog\)$/,
    );
    assert.ok(
      resume.some((l) =>
        /created ticket BTN-[a-z0-9]+ for task .* of plan plan-oauth-rollout \(baton backlog\)$/.test(
          l,
        ),
      ),
    );
    const text = ok(dir, ["resume"]).stdout;
    assert.match(text, /\n## Last changes\n\n- \S+ completed the session of seed-oauth-login/);
  });

  test("a change made over MCP names its tool", async () => {
    const dir = makeWorkspace();
    const mcp = await connect(dir);
    try {
      await mcpOk(mcp, "journal_add", { kind: "note", text: "Tokens expire after 8 h" });
    } finally {
      await mcp.client.close();
    }
    const lines = recentChanges(dir);
    assert.match(
      lines.at(-1) as string,
      / note: Tokens expire after 8 h \(baton mcp journal_add\)$/,
    );
    const event = JSON.parse(
      read(dir, ".baton", "events.jsonl").trim().split("\n").at(-1) as string,
    );
    assert.equal(event.command, "baton mcp journal_add", "the event log records the command");
  });
});
