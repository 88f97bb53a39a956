import assert from "node:assert/strict";
import { test } from "node:test";
import { missingDocuments, pickDocuments } from "../../../src/core/spec/documents.ts";

test("each layout's documents are picked by what the folder holds", () => {
  assert.deepEqual(
    pickDocuments({ files: ["requirements.md", "design.md", "tasks.md"], capabilities: [] }),
    {
      layout: "kiro",
      requirements: ["requirements.md"],
      design: "design.md",
      tasks: "tasks.md",
      proposal: null,
    },
  );
  assert.deepEqual(pickDocuments({ files: ["spec.md", "plan.md", "tasks.md"], capabilities: [] }), {
    layout: "speckit",
    requirements: ["spec.md"],
    design: "plan.md",
    tasks: "tasks.md",
    proposal: null,
  });
  assert.deepEqual(
    pickDocuments({ files: ["proposal.md", "tasks.md"], capabilities: ["ui", "cli-init"] }),
    {
      layout: "openspec",
      requirements: ["specs/cli-init/spec.md", "specs/ui/spec.md"],
      design: null,
      tasks: "tasks.md",
      proposal: "proposal.md",
    },
  );
});

test("missing documents are named in the layout's own words", () => {
  const files = (docs: Parameters<typeof pickDocuments>[0]) =>
    missingDocuments(pickDocuments(docs)).map((m) => [m.file, m.severity]);
  // Spec Kit before /plan: plan.md is missing, never design.md.
  assert.deepEqual(files({ files: ["spec.md", "tasks.md"], capabilities: [] }), [
    ["plan.md", "warning"],
  ]);
  assert.deepEqual(files({ files: ["plan.md"], capabilities: [] }), [
    ["spec.md", "error"],
    ["tasks.md", "warning"],
  ]);
  // OpenSpec writes design.md only when needed.
  assert.deepEqual(files({ files: ["proposal.md", "tasks.md"], capabilities: ["a"] }), []);
  assert.deepEqual(files({ files: ["proposal.md"], capabilities: [] }), [
    ["specs", "error"],
    ["tasks.md", "warning"],
  ]);
  assert.deepEqual(files({ files: ["tasks.md"], capabilities: [] }), [
    ["requirements.md", "error"],
    ["design.md", "warning"],
  ]);
});
