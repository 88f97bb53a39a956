import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EXIT, exitCodeFor, exitCodeOf } from "../../src/cli/exit.ts";
import { BatonError, ERROR_CODES } from "../../src/core/errors.ts";
import { parseFrontmatter } from "../../src/core/frontmatter.ts";
import { newTicket, parseTicket, renderTicket } from "../../src/core/ticket.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BatonError);
    return error.code;
  }
  assert.fail("expected a throw");
}

const sample = () =>
  newTicket({
    id: "BTN-abcd1234",
    title: "yes: a title that: looks like YAML # not a comment",
    status: "todo",
    plan: "plan-p",
    task: "a",
    session_id: "seed-a@2026-02-06T17-30-00Z",
    now: "2026-02-06T17:30:00.000Z",
    body: "# Title\n\nFree text with --- inside.\n",
  });

describe("tickets", () => {
  test("render then parse gives the same ticket, tricky titles included", () => {
    const t = sample();
    assert.deepEqual(parseTicket(renderTicket(t), "t.md"), t);
    for (const title of ["123", "true", "null", "- [ ] x", "'quoted'", 'a"b']) {
      const other = { ...t, title };
      assert.equal(parseTicket(renderTicket(other), "t.md").title, title);
    }
  });

  test("an unquoted YAML timestamp is read back as text", () => {
    const text = renderTicket(sample()).replace(
      "created: '2026-02-06T17:30:00.000Z'",
      "created: 2026-02-06T17:30:00.000Z",
    );
    assert.equal(parseTicket(text, "t.md").created, "2026-02-06T17:30:00.000Z");
  });

  test("broken frontmatter is CORRUPT_FILE naming the file", () => {
    const broken = [
      "no frontmatter at all\n",
      "---\nid: [unclosed\n---\n",
      "---\n- a list\n---\n",
      renderTicket(sample()).replace("status: todo", "status: someday"),
      renderTicket(sample()).replace(/title: .*\n/, ""),
      renderTicket(sample()).replace("schema_version: 1\n", ""),
      renderTicket(sample()).replace("plan: plan-p", "plan: ../../x"),
      renderTicket(sample()).replace("plan: plan-p", "plan: seed-p"),
      renderTicket(sample()).replace("id: BTN-abcd1234", "id: ../BTN"),
      renderTicket({ ...sample(), session_id: "../../s" }),
    ];
    for (const text of broken) {
      try {
        parseTicket(text, ".baton/tickets/BTN-abcd1234.md");
        assert.fail(`accepted: ${text}`);
      } catch (error) {
        assert.ok(error instanceof BatonError);
        assert.equal(error.code, "CORRUPT_FILE", text);
        assert.ok(error.message.includes(".baton/tickets/BTN-abcd1234.md"), error.message);
      }
    }
  });

  test("a ticket from a newer Baton is SCHEMA_TOO_NEW", () => {
    const text = renderTicket(sample()).replace("schema_version: 1", "schema_version: 99");
    assert.equal(
      codeOf(() => parseTicket(text, "t.md")),
      "SCHEMA_TOO_NEW",
    );
  });

  test("frontmatter body split keeps the body bytes", () => {
    const doc = parseFrontmatter("---\na: 1\n---\nbody\n---\nmore\n", "f");
    assert.deepEqual(doc.data, { a: 1 });
    assert.equal(doc.body, "body\n---\nmore\n");
    assert.equal(parseFrontmatter("plain", "f").data, null);
  });
});

describe("error codes", () => {
  test("every code maps to a documented exit code", () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const code of ERROR_CODES) assert.ok(documented.has(exitCodeFor(code)), code);
    assert.equal(exitCodeFor("USAGE"), 2);
    assert.equal(exitCodeFor("INVALID_ID"), 2);
    assert.equal(exitCodeFor("TOPIC_NOT_FOUND"), 3);
    assert.equal(exitCodeFor("NO_WORKSPACE"), 3);
    assert.equal(exitCodeFor("STATE_CONFLICT"), 4);
    assert.equal(exitCodeFor("CORRUPT_FILE"), 5);
    assert.equal(exitCodeFor("SCHEMA_TOO_NEW"), 5);
  });

  test("toJSON carries code, message and hint", () => {
    const e = new BatonError("TOPIC_NOT_FOUND", "no topic x", "list topics");
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      code: "TOPIC_NOT_FOUND",
      message: "no topic x",
      hint: "list topics",
    });
    assert.equal(exitCodeOf(e), 3);
  });
});
