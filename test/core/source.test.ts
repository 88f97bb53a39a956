/**
 * The source an imported item records (`baton import`), carried through Baton's own files: a
 * plan's task JSON, a ticket's frontmatter (a YAML section one level deep) and a spec's
 * status.yaml, and refused when it is malformed.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalizeTask } from "../../src/core/plan/tasks.ts";
import { digestOf, readItemSource, sourceRef } from "../../src/core/source.ts";
import { newSpecStatus, parseSpecStatus, renderSpecStatus } from "../../src/core/spec/status.ts";
import { newTicket, parseTicket, renderTicket } from "../../src/core/ticket.ts";
import { parseYaml, parseYamlLite, renderFlatYaml } from "../../src/core/yaml.ts";
import { fullYaml } from "../../src/store/yaml.ts";

describe("the recorded source", () => {
  const source = { format: "taskmaster", path: ".taskmaster/tasks/tasks.json", id: "master/3" };

  test("a digest is stable and tells different values apart", () => {
    assert.equal(digestOf(["a", 1]), digestOf(["a", 1]));
    assert.notEqual(digestOf(["a", 1]), digestOf(["a", 2]));
    assert.match(digestOf({}), /^[0-9a-f]{14}$/);
    assert.equal(sourceRef(source), "taskmaster:.taskmaster/tasks/tasks.json#master/3");
  });

  test("a YAML section one level deep round-trips through the small reader", () => {
    const text = renderFlatYaml({ id: "BTN-1", source: { ...source, digest: "00ff" }, n: 1 });
    assert.equal(
      text,
      'id: BTN-1\nsource:\n  format: taskmaster\n  path: ".taskmaster/tasks/tasks.json"\n  id: master/3\n  digest: 00ff\nn: 1\n',
    );
    assert.deepEqual(parseYamlLite(text), {
      id: "BTN-1",
      source: { ...source, digest: "00ff" },
      n: 1,
    });
    assert.deepEqual(parseYaml(text, fullYaml), parseYamlLite(text));
  });

  test("tickets, spec status files and task JSONs keep it; a bad one is refused", () => {
    const ticket = newTicket({
      id: "BTN-abcd1234",
      title: "Imported",
      status: "todo",
      plan: "plan-x",
      task: "T1",
      session_id: null,
      source,
      now: "2026-01-01T00:00:00.000Z",
      body: "# Imported\n",
    });
    assert.deepEqual(parseTicket(renderTicket(ticket), "t.md").source, source);
    const plain = { ...ticket };
    delete plain.source;
    assert.doesNotMatch(renderTicket(plain), /source/, "absent where nothing was imported");
    assert.throws(
      () => parseTicket(renderTicket(ticket).replace("  id: master/3\n", ""), "t.md"),
      /field source/,
    );

    const status = { ...newSpecStatus("auth", ".kiro/specs/auth", "draft", "t"), source };
    const read = parseSpecStatus(fullYaml(renderSpecStatus(status)), "status.yaml");
    assert.deepEqual(read.source, source);
    assert.doesNotMatch(renderSpecStatus(newSpecStatus("a", "a", "draft", "t")), /source/);

    const task = normalizeTask({ id: "T1", title: "A", source }, "t", 1, 1);
    assert.deepEqual(task.task?.source, source);
    assert.equal(
      "source" in (normalizeTask({ id: "T1", title: "A" }, "t", 1, 1).task ?? {}),
      false,
    );
    assert.equal(normalizeTask({ id: "T1", title: "A", source: { id: 1 } }, "t", 1, 1).task, null);
    // Another tool's task JSON using the name for something else keeps working.
    assert.ok(normalizeTask({ id: "T1", title: "A", source: "jira" }, "t", 1, 1).task);
    assert.equal(readItemSource({ ...source, digest: 5 }), undefined);
  });
});
