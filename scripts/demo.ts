/**
 * `npm start`: builds a demo workspace in a temp folder through the real CLI, the way an agent
 * would drive it, prints `baton status` and the files it made, then serves the dashboard on it
 * (`baton serve`) until interrupted.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const bin = path.resolve(import.meta.dirname, "..", "dist", "baton.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-demo-"));
spawnSync("git", ["init", "-q"], { cwd: dir });

function baton(...args: string[]): string {
  const shown = args.map((a) =>
    /[\s"]/.test(a) ? JSON.stringify(a.length > 40 ? `${a.slice(0, 37)}...` : a) : a,
  );
  process.stdout.write(`\n$ baton ${shown.join(" ")}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env },
  });
  process.stdout.write(result.stderr);
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    process.stderr.write(`demo step failed with exit ${result.status}\n`);
    process.exit(1);
  }
  return result.stdout;
}

baton("init");
baton(
  "seed",
  "OAuth login",
  "--body",
  "Let users sign in with GitHub instead of passwords. Why: most of our users already have GitHub accounts, and password resets are our top support request.",
);
baton(
  "spike",
  "Compare OAuth libraries",
  "--body",
  "Question: which library fits our Node server?\n\nFindings: arctic is small and typed; passport has more strategies but heavier.\n\nRecommendation: arctic.",
);
baton(
  "spike",
  "Token storage",
  "--body",
  "Question: where do access tokens live?\n\nRecommendation: encrypted at rest in the sessions table; never in localStorage.",
);
baton(
  "plan",
  "OAuth rollout",
  "--body",
  [
    "Goal: GitHub sign-in behind a feature flag, then default on.",
    "",
    "- [ ] Add the GitHub OAuth provider with arctic",
    "- [ ] Store encrypted tokens in the sessions table",
    "- [ ] Add the sign-in button behind the oauth flag",
    "- [ ] Write the end-to-end sign-in test",
  ].join("\n"),
);
baton("status");
const backlog = JSON.parse(baton("backlog", "--json")) as { tickets: { id: string }[] };
const first = backlog.tickets[0]?.id;
if (first) baton("ticket", "set-status", first, "in_progress");
baton("seed", "Audit log", "--body", "Record who changed what, for the compliance review.");
baton("seed", "--sessions");
baton("ticket", "list");
baton("spec", "new", "oauth-login");
baton("spec", "submit", "oauth-login", "--by", "agent");
baton("status");

process.stdout.write(`\nFiles Baton made in ${dir}:\n`);
const walk = (d: string, depth: number): void => {
  for (const entry of fs
    .readdirSync(d, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === ".git") continue;
    process.stdout.write(`${"  ".repeat(depth)}${entry.name}${entry.isDirectory() ? "/" : ""}\n`);
    if (entry.isDirectory()) walk(path.join(d, entry.name), depth + 1);
  }
};
walk(dir, 1);
process.stdout.write(
  `\nExplore it yourself:\n  node dist/baton.js -C ${dir} status\n  node dist/baton.js -C ${dir} topic list\n`,
);

process.stdout.write("\nThe dashboard on it, until Ctrl-C:\n");
const server = spawn(process.execPath, [bin, "-C", dir, "serve"], { stdio: "inherit" });
// A signal for the demo is one for the server: it closes, and the demo exits as it does.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
