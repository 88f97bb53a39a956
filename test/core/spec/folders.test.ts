import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BatonError } from "../../../src/core/errors.ts";
import { planMigration, specLayout, specNameFrom } from "../../../src/core/spec/folders.ts";

test("specLayout recognises Kiro, Spec Kit and OpenSpec change folders", () => {
  assert.equal(specLayout("openspec/changes/add-2fa", true), "openspec");
  assert.equal(specLayout("openspec/changes/archive/2025-08-19-add-2fa", true), "openspec");
  assert.equal(specLayout("openspec/changes/archive", true), "folder");
  assert.equal(specLayout(".kiro/specs/user-auth", true), "kiro");
  assert.equal(specLayout("app/.kiro/specs/user-auth", true), "kiro");
  assert.equal(specLayout("specs/001-user-auth", true), "speckit");
  assert.equal(specLayout("specs/user-auth", true), "folder");
  assert.equal(specLayout("docs/auth", true), "folder");
  assert.equal(specLayout("specs/001-user-auth/spec.md", false), "file");
});

describe("specNameFrom", () => {
  test("a plain name is kept; Spec Kit's number prefix stays part of the name", () => {
    assert.deepEqual(specNameFrom("user-auth", "x"), { name: "user-auth", written: null });
    assert.deepEqual(specNameFrom("025-pattern-paramorphism", "x"), {
      name: "025-pattern-paramorphism",
      written: null,
    });
  });

  test("case, spaces and accents fold into the folder name, remembering what was written", () => {
    assert.deepEqual(specNameFrom("User Auth", "x"), { name: "user-auth", written: "User Auth" });
    assert.deepEqual(specNameFrom("Café Menü", "x"), { name: "cafe-menu", written: "Café Menü" });
  });

  test("path-like names are refused, not folded into something harmless-looking", () => {
    for (const bad of [
      "../../etc",
      "/etc/passwd",
      "a/b",
      "a\\b",
      ".hidden",
      "..",
      "~root",
      "C:x",
      "",
    ]) {
      assert.throws(
        () => specNameFrom(bad, "specs/a.md"),
        (e: unknown) =>
          e instanceof BatonError && e.code === "INVALID_ID" && /specs\/a\.md/.test(e.message),
        JSON.stringify(bad),
      );
    }
  });

  test("a name with nothing usable is refused", () => {
    assert.throws(() => specNameFrom("!!!", "x"), /cannot name a spec folder/);
  });
});

describe("planMigration", () => {
  test("branch-named folders, flat and nested, move to their spec's name", () => {
    const plan = planMigration(
      [
        { folder: "feature-user-auth", name: "user-auth" },
        { folder: "feature/billing", name: "billing" },
        { folder: "ok", name: "ok" },
      ],
      ["feature-user-auth", "feature", "ok", ".active"],
    );
    assert.deepEqual(plan.collisions, []);
    assert.deepEqual(plan.moves, [
      { from: "feature-user-auth", to: "user-auth", written_name: null, legacy: false },
      { from: "feature/billing", to: "billing", written_name: null, legacy: false },
    ]);
  });

  test("a legacy status file is upgraded, moved or in place", () => {
    const plan = planMigration(
      [
        { folder: "feat/taskflow-api", name: "taskflow-mvp", legacy: true },
        { folder: "auth-fix", name: "auth-fix", legacy: true },
        { folder: "ok", name: "ok" },
      ],
      ["feat", "auth-fix", "ok"],
    );
    assert.deepEqual(plan.moves, [
      { from: "feat/taskflow-api", to: "taskflow-mvp", written_name: null, legacy: true },
      { from: "auth-fix", to: "auth-fix", written_name: null, legacy: true },
    ]);
  });

  test("a name that needs folding is rewritten even when the folder is right", () => {
    const plan = planMigration([{ folder: "user-auth", name: "User Auth" }], ["user-auth"]);
    assert.deepEqual(plan.moves, [
      { from: "user-auth", to: "user-auth", written_name: "User Auth", legacy: false },
    ]);
  });

  test("two specs wanting one folder, and a target in the way, are collisions", () => {
    const both = planMigration(
      [
        { folder: "branch-a", name: "User Auth" },
        { folder: "branch-b", name: "user-auth" },
      ],
      ["branch-a", "branch-b"],
    );
    assert.deepEqual(both.moves, []);
    assert.equal(both.collisions.length, 1);
    assert.match(
      both.collisions[0] as string,
      /branch-a .* and branch-b .* would both become user-auth/,
    );

    const taken = planMigration([{ folder: "feature/auth", name: "feature" }], ["feature"]);
    assert.deepEqual(taken.moves, []);
    assert.match(
      taken.collisions[0] as string,
      /feature\/auth would become feature, which already exists/,
    );

    const staying = planMigration(
      [
        { folder: "x", name: "auth" },
        { folder: "auth", name: "auth" },
      ],
      ["x", "auth"],
    );
    assert.match(staying.collisions[0] as string, /would both become auth/);
  });

  test("a chain is ordered so each folder is vacated first; a cycle is refused", () => {
    const chain = planMigration(
      [
        { folder: "a", name: "b" },
        { folder: "b", name: "c" },
      ],
      ["a", "b"],
    );
    assert.deepEqual(
      chain.moves.map((m) => `${m.from}->${m.to}`),
      ["b->c", "a->b"],
    );
    const cycle = planMigration(
      [
        { folder: "a", name: "b" },
        { folder: "b", name: "a" },
      ],
      ["a", "b"],
    );
    assert.deepEqual(cycle.moves, []);
    assert.match(cycle.collisions[0] as string, /cycle/);
  });

  test("a path-like name in a status.yaml is refused", () => {
    assert.throws(
      () => planMigration([{ folder: "x", name: "../escape" }], ["x"]),
      (e: unknown) =>
        e instanceof BatonError && e.code === "INVALID_ID" && /x\/status\.yaml/.test(e.message),
    );
  });
});
