import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { openContext } from "../../src/app/context.ts";
import type { OpEnv } from "../../src/app/operation.ts";
import { journalFacts } from "../../src/app/read/facts.ts";
import { workspaceStatus } from "../../src/app/workspace/status.ts";
import { ok } from "../cli/support.ts";
import { makeWorkspace, REPO_ROOT } from "../helpers.ts";

/**
 * The read model (src/app/read/) is the one place status, resume and the journal learn the
 * state from: they agree with each other and with what the CLI prints, and no verb reaches
 * into another verb for it.
 */

function envFor(dir: string): OpEnv {
  const ctx = openContext({ cwd: dir });
  return {
    cwd: dir,
    context: () => ctx,
    notice: () => {},
    now: () => new Date(),
    confined: false,
    output: "json",
  };
}

describe("the read model", () => {
  test("status, the journal's facts and the CLI agree on the session, plan and next steps", async () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "OAuth login"]);
    ok(dir, ["plan", "OAuth rollout", "--body", "- [ ] Add the route\n- [ ] Add the test\n"]);
    const env = envFor(dir);
    const status = await workspaceStatus.run(env, {});
    const facts = journalFacts(env.context().ws);
    assert.equal(status.plan_tasks, 2);
    assert.equal(facts.plan_tasks, 2);
    assert.equal(facts.session?.session_id, status.session?.session_id);
    assert.deepEqual(facts.suggestions, status.next_steps, "no open tickets: the same steps");
    assert.deepEqual(ok(dir, ["status", "--json"]).json, JSON.parse(JSON.stringify(status)));
    // The journal written after the plan shows the same count.
    assert.match(
      fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"),
      /- Plan: plan-oauth-rollout \(2 tasks\)/,
    );
  });

  test("open tickets count in the journal's suggestions once the session is done", async () => {
    const dir = makeWorkspace();
    ok(dir, ["seed", "Dark mode"]);
    ok(dir, ["plan", "Dark mode rollout", "--body", "- [ ] Add the toggle\n"]);
    ok(dir, ["backlog"]);
    const env = envFor(dir);
    const facts = journalFacts(env.context().ws);
    assert.equal(facts.session, null);
    assert.equal(facts.open_ticket_count, 1);
    assert.match(facts.suggestions[0] ?? "", /^Work the 1 open tickets/);
    assert.doesNotMatch((await workspaceStatus.run(env, {})).next_steps.join("\n"), /open tickets/);
  });

  test("the journal and workspace verbs learn the state from the read model, not from other verbs", () => {
    const allowed = /^\.\.\/(read\/[\w-]+|context|operation|paging|agent-sources)\.ts$/;
    for (const folder of ["journal", "workspace", "read"]) {
      const dir = path.join(REPO_ROOT, "src", "app", folder);
      for (const name of fs.readdirSync(dir)) {
        const source = fs.readFileSync(path.join(dir, name), "utf8");
        for (const [, spec] of source.matchAll(/from "(\.\.\/[^"]+)"/g)) {
          if (spec?.startsWith("../../")) continue;
          assert.match(spec ?? "", allowed, `src/app/${folder}/${name} imports ${spec}`);
        }
      }
    }
  });
});
