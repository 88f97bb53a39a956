/**
 * `npm run bench:mcp`: the MCP server on the largest benchmark workspace (10,000 topics, 2,000
 * sessions, 20,000 tickets), driven by the SDK's own client over stdio, as an agent would:
 * server start + initialize + tools/list, warm tool calls, and the size of list results (the
 * UTF-8 bytes of the text an agent receives). Prints a Markdown table; numbers, not a timed test.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { generateWorkspace, scaleFor } from "./fixture.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const BIN = path.join(REPO, "dist", "baton.js");
const STARTS = 7;
const WARM_CALLS = 30;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function connect(dir: string, extra: readonly string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp", ...extra],
    cwd: dir,
    env: { ...(process.env as Record<string, string>), NO_COLOR: "1" },
    stderr: "ignore",
  });
  const client = new Client({ name: "baton-bench", version: "0.0.0" });
  await client.connect(transport);
  return client;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "baton-bench-mcp-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: root });
    execFileSync(process.execPath, [BIN, "init", "-q"], { cwd: root });
    const scale = scaleFor(10_000);
    generateWorkspace(root, scale);
    execFileSync(process.execPath, [BIN, "ticket", "list", "-q"], { cwd: root, stdio: "ignore" });

    const nodeStarts: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, ["-e", "0"]);
      nodeStarts.push(performance.now() - t0);
    }
    const baseline = median(nodeStarts);
    const rows: [string, string][] = [["`node -e 0` (median of 7)", `${baseline.toFixed(1)} ms`]];
    for (const [label, extra] of [
      ["default toolsets", []],
      ["`--tools all`", ["--tools", "all"]],
    ] as const) {
      const starts: number[] = [];
      let listBytes = 0;
      let count = 0;
      for (let i = 0; i < STARTS; i++) {
        const t0 = performance.now();
        const client = await connect(root, extra);
        const tools = await client.listTools();
        starts.push(performance.now() - t0);
        listBytes = Buffer.byteLength(JSON.stringify(tools));
        count = tools.tools.length;
        await client.close();
      }
      const start = median(starts);
      rows.push(
        [
          `spawn \`baton mcp\` + initialize + \`tools/list\`, ${label} (median of 7)`,
          `${start.toFixed(1)} ms (${(start / baseline).toFixed(2)}×)`,
        ],
        [`\`tools/list\` result, ${label}: ${count} tools`, `${listBytes.toLocaleString("en")} B`],
      );
    }

    const client = await connect(root);
    for (const [tool, args, label] of [
      ["status", {}, "default"],
      ["topic_list", {}, "default page of 20"],
      ["topic_list", { limit: 100 }, "largest page, 100"],
      ["ticket_list", {}, "default page of 20"],
      ["resume", {}, "default budget"],
    ] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARM_CALLS + 3; i++) {
        const t0 = performance.now();
        const result = await client.callTool({ name: tool, arguments: args });
        const dt = performance.now() - t0;
        if (i >= 3) times.push(dt);
        const content = result.content as { type: string; text?: string }[];
        bytes = Buffer.byteLength(content[0]?.text ?? "");
        if (result.isError)
          throw new Error(`${tool} failed: ${JSON.stringify(result).slice(0, 300)}`);
      }
      rows.push([
        `warm \`${tool}\` call, ${label} (median of ${WARM_CALLS})`,
        `${median(times).toFixed(1)} ms`,
      ]);
      rows.push([`\`${tool}\` result text, ${label}`, `${bytes.toLocaleString("en")} B`]);
    }
    await client.close();
    for (const bundle of ["baton-mcp.js", "baton-cli.js"]) {
      const size = fs.statSync(path.join(REPO, "dist", bundle)).size;
      rows.push([`\`dist/${bundle}\``, `${(size / 1024).toFixed(0)} KB`]);
    }
    const lines = [
      `MCP on ${scale.topics.toLocaleString("en")} topics / ${scale.sessions.toLocaleString("en")} sessions / ${scale.tickets.toLocaleString("en")} tickets, Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
      "",
      "| what | figure |",
      "| --- | ---: |",
      ...rows.map(([what, figure]) => `| ${what} | ${figure} |`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
