import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkResolutions,
  deriveConflicts,
  recommendedResolutions,
} from "../../../src/core/plan/conflicts.ts";
import {
  classifyFile,
  extractKeywords,
  goalText,
  packageOf,
  parseImports,
  parseManifest,
  rankAssets,
  resolveInternal,
  scoreFile,
} from "../../../src/core/plan/context-rank.ts";
import { assessRisk, isPublicApiFile } from "../../../src/core/plan/context-risk.ts";

describe("keywords", () => {
  test("stop words, numbers and Baton's generated sections are dropped", () => {
    const doc = [
      "# OAuth login flow",
      "",
      "## Inputs / Related Topics",
      "",
      "- Root seed: [seed-oauth](../seed-oauth/seed.md)",
      "- Planning session: seed-oauth@2026-11-22T06-05-18Z",
      "",
      "## Goal",
      "",
      "Add an OAuth2 provider and refresh tokens for the login page in 2026.",
    ].join("\n");
    const words = extractKeywords(`OAuth login flow\n${goalText(doc)}`);
    assert.equal(words[0], "login");
    assert.ok(words.includes("oauth") && words.includes("flow"));
    assert.ok(words.includes("oauth2") && words.includes("tokens"));
    for (const noise of ["the", "and", "2026", "22t06", "seed", "session", "md"]) {
      assert.ok(!words.includes(noise), noise);
    }
  });

  test("the plan's own text after the generated links block counts", () => {
    const doc = [
      "# OAuth rollout",
      "",
      "## Inputs / Related Topics",
      "",
      "- Root seed: [seed-oauth](../seed-oauth/seed.md)",
      "",
      "Add login with refresh tokens.",
    ].join("\n");
    const text = goalText(doc);
    assert.ok(text.includes("Add login with refresh tokens."));
    assert.ok(!text.includes("Root seed"));
    assert.ok(extractKeywords(text).includes("login"));
  });
});

describe("ranking", () => {
  test("files are classified", () => {
    assert.equal(classifyFile("src/auth/login.ts"), "source");
    assert.equal(classifyFile("test/auth/login.test.ts"), "test");
    assert.equal(classifyFile("src/auth/login.spec.ts"), "test");
    assert.equal(classifyFile("docs/auth.md"), "doc");
    assert.equal(classifyFile("package.json"), "config");
    assert.equal(classifyFile("vite.config.ts"), "config");
    assert.equal(classifyFile("logo.png"), "other");
  });

  test("path matches outweigh content; ties break by path; relevance is 0..1", () => {
    const keywords = ["oauth", "token"];
    const scored = [
      { path: "src/b.ts", score: scoreFile("src/b.ts", "oauth oauth", keywords) },
      { path: "src/oauth/tokens.ts", score: scoreFile("src/oauth/tokens.ts", "", keywords) },
      { path: "src/a.ts", score: scoreFile("src/a.ts", "oauth oauth", keywords) },
      { path: "src/none.ts", score: scoreFile("src/none.ts", "nothing here", keywords) },
    ];
    const ranked = rankAssets(scored);
    assert.deepEqual(
      ranked.map((r) => r.path),
      ["src/oauth/tokens.ts", "src/a.ts", "src/b.ts"],
    );
    assert.equal(ranked[0]?.relevance, 1);
    assert.deepEqual(ranked[0]?.matched, ["oauth", "token"]);
    assert.equal(ranked[1]?.relevance, 0.333);
  });

  test("a file the plan names outright outranks keyword matches", () => {
    const keywords = ["oauth", "token"];
    const ranked = rankAssets([
      { path: "src/oauth/tokens.ts", score: scoreFile("src/oauth/tokens.ts", "oauth", keywords) },
      { path: "src/session.ts", score: scoreFile("src/session.ts", "", keywords, true) },
    ]);
    assert.deepEqual(
      ranked.map((r) => [r.path, r.named]),
      [
        ["src/session.ts", true],
        ["src/oauth/tokens.ts", false],
      ],
    );
  });
});

describe("manifests and imports", () => {
  test("dependencies are read from each manifest kind", () => {
    const pkg = parseManifest(
      "package.json",
      JSON.stringify({ dependencies: { zod: "1", "@a/b": "2" }, devDependencies: { vitest: "1" } }),
    );
    assert.deepEqual(pkg?.dependencies, ["@a/b", "zod"]);
    assert.deepEqual(pkg?.dev_dependencies, ["vitest"]);
    assert.deepEqual(
      parseManifest(
        "Cargo.toml",
        '[package]\nname = "x"\n[dependencies]\nserde = "1"\ntokio = { version = "1" }\n[dev-dependencies]\ninsta = "1"\n',
      )?.dependencies,
      ["serde", "tokio"],
    );
    assert.deepEqual(
      parseManifest(
        "go.mod",
        "module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\nrequire golang.org/x/c v0.1.0\n",
      )?.dependencies,
      ["github.com/a/b", "golang.org/x/c"],
    );
    assert.deepEqual(
      parseManifest("requirements.txt", "Flask>=2\n# c\nrequests==2.0 ; python_version>'3'\n-e .\n")
        ?.dependencies,
      ["flask", "requests"],
    );
    assert.deepEqual(
      parseManifest("pyproject.toml", '[project]\ndependencies = ["httpx>=0.2", "pydantic"]\n')
        ?.dependencies,
      ["httpx", "pydantic"],
    );
    assert.deepEqual(
      parseManifest(
        "pom.xml",
        "<dependency><groupId>org.x</groupId><artifactId>y</artifactId></dependency>",
      )?.dependencies,
      ["org.x:y"],
    );
    assert.deepEqual(
      parseManifest("Gemfile", "source 'x'\ngem 'rails', '~> 7'\ngem \"pg\"\n")?.language,
      "Ruby",
    );
    assert.equal(parseManifest("README.md", ""), null);
  });

  test("imports are parsed, packages named and relative paths resolved", () => {
    const text = [
      'import fs from "node:fs";',
      'import { a } from "./a.ts";',
      'import type { B } from "../lib/b.js";',
      'export * from "./c";',
      'const z = require("@scope/pkg/sub");',
      'import "side-effect";',
    ].join("\n");
    const specs = parseImports(text);
    assert.deepEqual(specs.sort(), [
      "../lib/b.js",
      "./a.ts",
      "./c",
      "@scope/pkg/sub",
      "node:fs",
      "side-effect",
    ]);
    assert.equal(packageOf("@scope/pkg/sub"), "@scope/pkg");
    assert.equal(packageOf("./a"), null);
    const known = new Set(["src/a.ts", "lib/b.ts", "src/c/index.ts"]);
    assert.equal(resolveInternal("src/x.ts", "./a.ts", known), "src/a.ts");
    assert.equal(resolveInternal("src/x.ts", "../lib/b.js", known), "lib/b.ts");
    assert.equal(resolveInternal("src/x.ts", "./c", known), "src/c/index.ts");
    assert.equal(resolveInternal("src/x.ts", "./missing", known), null);
  });
});

describe("risk and conflicts", () => {
  test("nothing shared is no risk", () => {
    const r = assessRisk({ affected: ["src/a.ts"], declared: [], others: [], uncommitted: [] });
    assert.equal(r.risk_level, "none");
    assert.deepEqual(deriveConflicts(r), []);
  });

  test("an overlapping plan plus an uncommitted change is medium; API files add to it", () => {
    const input = {
      affected: ["src/auth/login.ts", "src/other.ts"],
      declared: ["src/auth/login.ts"],
      others: [
        {
          kind: "plan" as const,
          with: "plan-other",
          files: ["src/auth/login.ts", "src/unrelated.ts"],
        },
        { kind: "spec" as const, with: "billing", files: ["src/unrelated.ts"] },
      ],
      uncommitted: ["src/auth/login.ts", "README.md"],
    };
    const r = assessRisk(input);
    assert.equal(r.risk_level, "medium");
    assert.deepEqual(r.overlaps, [
      { kind: "plan", with: "plan-other", files: ["src/auth/login.ts"] },
    ]);
    assert.deepEqual(r.uncommitted_files, ["src/auth/login.ts"]);
    assert.deepEqual(r.affected_modules, ["src/auth"]);
    assert.equal(r.risk_factors.length, 2);
    assert.match(r.mitigation_strategy, /sequence or coordinate/);

    const high = assessRisk({ ...input, affected: [...input.affected, "src/api/index.ts"] });
    assert.equal(high.risk_level, "high");
    assert.ok(isPublicApiFile("src/db/schema.ts") && isPublicApiFile("migrations/001.sql"));
    assert.ok(!isPublicApiFile("src/auth/login.ts"));

    const conflicts = deriveConflicts(high);
    assert.deepEqual(
      conflicts.map((c) => [c.id, c.category, c.severity]),
      [
        ["CONF-1", "concurrent_plan", "high"],
        ["CONF-2", "uncommitted_changes", "medium"],
        ["CONF-3", "public_api", "low"],
      ],
    );
    for (const c of conflicts) assert.ok(c.strategies.includes(c.recommended));
  });

  test("overlaps are measured on declared files only, never on likely ones", () => {
    const r = assessRisk({
      affected: ["src/auth/login.ts", "src/auth/session.ts"],
      declared: ["src/auth/session.ts"],
      others: [
        { kind: "plan", with: "plan-a", files: ["src/auth/login.ts"] },
        { kind: "plan", with: "plan-b", files: ["src/auth/session.ts", "src/auth/login.ts"] },
      ],
      uncommitted: [],
    });
    assert.deepEqual(r.overlaps, [
      { kind: "plan", with: "plan-b", files: ["src/auth/session.ts"] },
    ]);
    const [conflict] = deriveConflicts(r);
    assert.equal(conflict?.with, "plan-b");
    assert.deepEqual(conflict?.affected_files, ["src/auth/session.ts"]);
  });

  test("resolutions: every conflict once, known strategies only", () => {
    const conflicts = deriveConflicts(
      assessRisk({
        affected: ["src/a.ts"],
        declared: ["src/a.ts"],
        others: [{ kind: "plan", with: "plan-x", files: ["src/a.ts"] }],
        uncommitted: ["src/a.ts"],
      }),
    );
    const good = checkResolutions(conflicts, [
      { id: "CONF-1", strategy: "coordinate", note: " talk to the x team " },
      { id: "CONF-2", strategy: "commit_first" },
    ]);
    assert.deepEqual(good.findings, []);
    assert.deepEqual(good.resolutions[0], {
      id: "CONF-1",
      strategy: "coordinate",
      note: "talk to the x team",
    });
    const bad = checkResolutions(conflicts, [
      { id: "CONF-9", strategy: "coordinate" },
      { id: "CONF-1", strategy: "teleport" },
    ]);
    assert.deepEqual(
      bad.findings.map((f) => f.code),
      ["CONFLICT_UNKNOWN", "STRATEGY_UNKNOWN", "CONFLICT_UNDECIDED"],
    );
    assert.equal(
      checkResolutions(conflicts, { id: "CONF-1" }).findings[0]?.code,
      "RESOLUTIONS_NOT_ARRAY",
    );
    assert.deepEqual(
      recommendedResolutions(conflicts).map((r) => r.strategy),
      ["sequence_after", "commit_first"],
    );
  });
});
