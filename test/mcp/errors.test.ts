/**
 * Over MCP an error's hint names the tool to call, not a command line, and its data carries the
 * error's details: the words are the server's, the facts are core's.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { REF_CLOSE, REF_OPEN } from "../../src/core/command-ref.ts";
import { knowledge, makeTempRepo, makeWorkspace } from "../helpers.ts";
import { type Connected, call, connect, ok, refused } from "./support.ts";

const unrendered = (text: string) => text.includes(REF_OPEN) || text.includes(REF_CLOSE);

describe("MCP errors", () => {
  let dir: string;
  let mcp: Connected;

  before(async () => {
    dir = makeWorkspace();
    mcp = await connect(dir);
  });
  after(async () => {
    await mcp.client.close();
  });

  test("a not-found error names the tool to call, not a baton command", async () => {
    const topic = await refused(mcp, "topic_show", { topic_id: "seed-missing" });
    assert.equal(topic.code, "TOPIC_NOT_FOUND");
    assert.equal(topic.hint, "list topics with: topic_list");
    const ticket = await refused(mcp, "ticket_show", { ticket_id: "BTN-zzzzzzzz" });
    assert.equal(ticket.code, "TICKET_NOT_FOUND");
    assert.equal(ticket.hint, "list tickets with: ticket_list");
    const session = await refused(mcp, "session_resume", { target: "seed-nothing" });
    assert.equal(session.code, "SESSION_NOT_FOUND");
    assert.equal(session.hint, 'list its sessions with: session_list {"seed_id":"seed-nothing"}');
    for (const e of [topic, ticket, session]) {
      assert.doesNotMatch(e.hint, /\bbaton /);
      assert.ok(!unrendered(JSON.stringify(e)));
    }
  });

  test("notices on stderr name tools too", async () => {
    // No session is active yet: the spike is linked to none, and the notice says what to run.
    await ok(mcp, "spike_create", { title: "Rate limits" });
    const stderr = mcp.stderr();
    assert.match(stderr, /start one with seed_create \{"title":"<title>"\}/);
    assert.ok(!unrendered(stderr), stderr);
  });

  test("a command with no tool is named as one to run in a terminal", async () => {
    const outside = await connect(makeTempRepo());
    try {
      const e = await refused(outside, "status", {});
      assert.equal(e.code, "NO_WORKSPACE");
      assert.equal(e.hint, "run `baton init` in a terminal in your repository's root first");
    } finally {
      await outside.client.close();
    }
  });

  test("a corrupt file's error carries its path in the data, for tools and resources", async () => {
    await ok(mcp, "seed_create", { title: "Broken later" });
    const index = knowledge(dir, "index.json");
    const kept = fs.readFileSync(index, "utf8");
    fs.writeFileSync(index, "{ not json");
    try {
      const listed = await call(mcp, "topic_list", {});
      assert.equal(listed.isError, true);
      assert.equal(listed.data.code, "CORRUPT_FILE");
      assert.deepEqual(listed.data.details, { path: ".baton/knowledge/index.json" });
    } finally {
      fs.writeFileSync(index, kept);
    }
    const session = knowledge(dir, ".active-planning.json");
    fs.writeFileSync(session, "[]");
    try {
      await assert.rejects(
        mcp.client.readResource({ uri: "baton://session/active" }),
        (error: { data?: { code: string; details?: { path: string } } }) => {
          assert.equal(error.data?.code, "CORRUPT_FILE");
          assert.equal(error.data?.details?.path, ".baton/knowledge/.active-planning.json");
          return true;
        },
      );
    } finally {
      fs.rmSync(session);
    }
  });
});
