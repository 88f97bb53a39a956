import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  notesSection,
  readNotesSection,
  renderNotes,
  replaceNotesSection,
} from "../../../src/core/plan/notes.ts";
import { renderIntent, structureInput } from "../../../src/core/plan/structure.ts";

describe("structureInput", () => {
  test("a title alone is the goal", () => {
    assert.deepEqual(structureInput("OAuth rollout"), {
      goal: "OAuth rollout",
      scope: { in: [], out: [] },
      context: "",
      source: "title",
    });
  });

  test("a short text: the first sentence is the goal, the rest context", () => {
    const s = structureInput(
      "Login",
      "Users sign in with GitHub. Sessions last a week, and tokens survive restarts.",
    );
    assert.equal(s.goal, "Users sign in with GitHub.");
    assert.equal(s.context, "Sessions last a week, and tokens survive restarts.");
    assert.deepEqual(s.scope, { in: [], out: [] });
    assert.equal(s.source, "text");
  });

  test("a detailed text: heading is the goal, bullets scope, in/out of scope lines", () => {
    const text = [
      "# Sign in with GitHub",
      "",
      "We lose users at the sign-up form.",
      "",
      "- GitHub provider",
      "- [ ] token storage",
      "",
      "In scope: logout, refresh",
      "Out of scope: SAML; LDAP",
      "",
      "## Background",
      "",
      "The old form stays for a month.",
    ].join("\n");
    const s = structureInput("Login", text);
    assert.equal(s.goal, "Sign in with GitHub");
    assert.deepEqual(s.scope.in, ["GitHub provider", "token storage", "logout", "refresh"]);
    assert.deepEqual(s.scope.out, ["SAML", "LDAP"]);
    assert.equal(
      s.context,
      "We lose users at the sign-up form.\n\nThe old form stays for a month.",
    );
  });

  test("Goal and Out of scope sections", () => {
    const text = [
      "## Goal",
      "",
      "Ship OAuth login. It replaces passwords.",
      "",
      "## Out of scope",
      "",
      "- SSO",
      "",
      "## Scope",
      "",
      "* the login page",
    ].join("\n");
    const s = structureInput("Login", text);
    assert.equal(s.goal, "Ship OAuth login.");
    assert.deepEqual(s.scope, { in: ["the login page"], out: ["SSO"] });
    assert.equal(s.context, "It replaces passwords.");
  });

  test("a requirements file: numbered requirements and requirement ids become scope items", () => {
    const text = [
      "# Requirements",
      "",
      "The login must work offline.",
      "",
      "1. Users can sign in with GitHub",
      "2) Tokens are stored encrypted",
      "REQ-3: Sessions expire after a week",
      "```",
      "- not a scope item",
      "```",
    ].join("\n");
    const s = structureInput("Login", text);
    assert.equal(s.source, "requirements");
    assert.equal(s.goal, "The login must work offline.");
    assert.deepEqual(s.scope.in, [
      "Users can sign in with GitHub",
      "Tokens are stored encrypted",
      "REQ-3: Sessions expire after a week",
    ]);
    assert.match(s.context, /not a scope item/);
  });

  test("a Label: line ends the list before it, and the Goal label is not part of the goal", () => {
    const s = structureInput(
      "P",
      "Goal: ship it.\n\nOut of scope: mobile\n\nRequirements:\n- REQ-1: a\n- REQ-2: b\n\nTasks:\n- [ ] do a (REQ-1)\n",
    );
    assert.equal(s.goal, "ship it.");
    assert.deepEqual(s.scope, { in: ["REQ-1: a", "REQ-2: b", "do a (REQ-1)"], out: ["mobile"] });
    assert.match(renderIntent(s), /^\*\*Goal:\*\* ship it\.$/m);
  });

  test("Scope, In scope, Context and Constraints labels and headings start their sections", () => {
    const text = [
      "**Goal:** Sign in with GitHub",
      "Out of scope:",
      "- SAML",
      "Scope:",
      "- the login page",
      "Context: the old form stays for a month.",
      "Constraints:",
      "- no new dependencies",
      "- REQ-7: tokens are encrypted",
      "In scope: logout",
      "## Non-goals",
      "- LDAP",
      "## Constraints",
      "- offline first",
    ].join("\n");
    const s = structureInput("Login", text);
    assert.equal(s.goal, "Sign in with GitHub");
    assert.deepEqual(s.scope.in, ["the login page", "REQ-7: tokens are encrypted", "logout"]);
    assert.deepEqual(s.scope.out, ["SAML", "LDAP"]);
    assert.equal(
      s.context,
      "the old form stays for a month.\n\n- no new dependencies\n\n- offline first",
    );
  });

  test("text after a labelled list ends it; a label inside a sentence is text", () => {
    const s = structureInput(
      "P",
      "Ship it.\n\nOut of scope:\n- mobile\n\nWhat we build:\n\n- the web app\n\nNotes about rollout: later.",
    );
    assert.deepEqual(s.scope, { in: ["the web app"], out: ["mobile"] });
    assert.equal(s.context, "What we build:\n\nNotes about rollout: later.");
  });

  test("is deterministic and renders the User Intent section", () => {
    const text = "Do it. Because.\n\n- a\n- b\n";
    assert.deepEqual(structureInput("T", text), structureInput("T", text));
    const intent = renderIntent(structureInput("T", text));
    assert.match(intent, /^\*\*Goal:\*\* Do it\.$/m);
    assert.match(intent, /^- a\n- b$/m);
    assert.match(intent, /\*\*Scope \(out\):\*\*\n\n- \(none stated\)/);
  });
});

describe("planning-notes sections", () => {
  test("a section is rewritten between its markers and nothing else changes", () => {
    const doc = `${renderNotes("plan-x", "X")}\nmy own notes\n`;
    const after = replaceNotesSection(doc, "context", "found: src/auth.ts");
    assert.equal(readNotesSection(after, "context"), "found: src/auth.ts");
    assert.equal(readNotesSection(after, "intent"), readNotesSection(doc, "intent"));
    assert.ok(after.endsWith("\nmy own notes\n"));
    assert.equal(replaceNotesSection(after, "context", "found: src/auth.ts"), after);
    const back = replaceNotesSection(after, "context", readNotesSection(doc, "context") as string);
    assert.equal(back, doc);
  });

  test("every section heading is there, in phase order, and names resolve", () => {
    const doc = renderNotes("plan-x", "X");
    const headings = doc.split("\n").filter((l) => l.startsWith("## "));
    assert.deepEqual(headings, [
      "## User Intent (Phase 1)",
      "## Context Findings (Phase 2)",
      "## Conflict Decisions (Phase 3)",
      "## Consolidated Constraints (Phase 4 Input)",
      "## Task Generation (Phase 4)",
      "## N+1 Context",
    ]);
    assert.match(doc, /### Decisions\n\n\| decision \| reason \| phase \|/);
    assert.match(doc, /### Deferred/);
    assert.equal(notesSection("Conflict Decisions (Phase 3)")?.key, "conflicts");
    assert.equal(notesSection("## N+1 Context")?.key, "next");
    assert.equal(notesSection("nope"), null);
  });

  test("a section whose markers were deleted is appended again", () => {
    const after = replaceNotesSection("# Notes\n", "tasks", "IMPL-1");
    assert.equal(
      after,
      "# Notes\n\n## Task Generation (Phase 4)\n\n<!-- baton:begin notes-tasks -->\nIMPL-1\n<!-- baton:end notes-tasks -->\n",
    );
  });
});
