/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the samples landed (self time),
 * which of Baton's own functions were on the stack (inclusive time), and a split of the whole
 * run into start-up, Baton's code, garbage collection and the rest.
 */
import fs from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Where the time went: the sample's stack holds a frame of the bundle, or it does not. */
  split: ProfileRow[];
  self: ProfileRow[];
  /** Inclusive time of the bundle's own functions only (not Node's loader frames). */
  inclusive: ProfileRow[];
}

function fileOf(url: string): string {
  return (
    url
      .replace(/^file:\/\//, "")
      .split(/[\\/]/)
      .pop() ?? url
  );
}

/** `fn (file:line)` with only the file's base name: no machine paths in the output. */
function label(frame: CallFrame): string {
  const fn = frame.functionName || "(anonymous)";
  if (!frame.url) return fn;
  return `${fn} (${fileOf(frame.url)}:${frame.lineNumber + 1})`;
}

/** `bundle` is the base name of the script under test, e.g. `baton.js`. */
export function summarizeProfile(file: string, bundle: string, top = 10): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const ours = (frame: CallFrame) => frame.url !== "" && fileOf(frame.url) === bundle;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const split = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const node = byId.get(id);
    if (!node) return;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    let inBundle = false;
    let topLevel = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !ours(frame)) continue;
      inBundle = true;
      // The bundle's module body (line 1, anonymous) is evaluation of top-level code.
      if (frame.functionName === "" && frame.lineNumber === 0) topLevel = true;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
    const fn = node.callFrame.functionName;
    const bucket =
      fn === "(garbage collector)"
        ? "garbage collection"
        : fn === "(program)" || fn === "(idle)"
          ? "(program): native work V8 does not attribute (start-up, parsing, I/O)"
          : inBundle
            ? topLevel && seen.size === 1
              ? "Baton: evaluating the bundle's top level"
              : "Baton: running the command (its own code and the Node APIs it calls)"
            : "Node: bootstrap and module loading (no Baton frame on the stack)";
    split.set(bucket, (split.get(bucket) ?? 0) + us);
  });
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .map(([name, us]) => ({ name, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
  return {
    totalMs: total / 1000,
    split: rows(split, 10),
    self: rows(self, top),
    inclusive: rows(inclusive, top),
  };
}
