import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { baton, knowledge, makeWorkspace, readJson } from "../helpers.ts";

test("seed -> spike -> plan -> backlog completes a session end to end", () => {
  const dir = makeWorkspace();
  assert.equal(baton(dir, ["seed", "OAuth login"]).code, 0);
  assert.equal(baton(dir, ["spike", "Token storage"]).code, 0);
  assert.equal(
    baton(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens"]).code,
    0,
  );
  const backlog = baton(dir, ["backlog", "--json"]);
  assert.equal(backlog.code, 0, backlog.stderr);
  assert.equal(backlog.json.tickets.length, 2);
  assert.ok(backlog.json.completed_session.startsWith("seed-oauth-login@"));
  assert.equal(fs.existsSync(knowledge(dir, ".active-planning.json")), false);
  const snapshot = readJson(knowledge(dir, "sessions", `${backlog.json.completed_session}.json`));
  assert.equal(snapshot.state, "completed");
  assert.deepEqual(snapshot.spikes, ["spike-token-storage"]);
});
