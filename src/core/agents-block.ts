/**
 * The block `baton init` keeps in AGENTS.md (and in CLAUDE.md when the repository has one):
 * it tells every agent to run `baton resume` first. The text is the source file
 * `agents/blocks/agents-md.md`, embedded here so the one-file CLI bundle needs no data files;
 * a test fails when the two differ.
 */
export const AGENTS_BLOCK_TEXT = `## Planning with Baton

This repository keeps its planning state with Baton: plain files under \`.baton/\` and a live
journal in \`PLANNING.md\`, so work survives a crash, a compaction or a new conversation.

- **At the start of every conversation, run \`baton resume\` before anything else** (or
  \`baton resume --json\` to read it as data), and again whenever your context was compacted or
  lost. It prints the active planning session, the active spec and its stage, recent
  decisions, next steps and open tickets: continue from there instead of starting over.
- Change planning state only with \`baton\` commands. Never edit the files under \`.baton/\` by
  hand, nor the generated sections of \`PLANNING.md\` (between \`baton:begin\` and \`baton:end\`);
  text you write outside them is kept.
- Record as you go: \`baton journal note "<finding>"\`, \`baton journal decide "<decision>"\`,
  \`baton journal next "<step>"\`, and \`baton journal done <n>\` when a step is finished.
- Before working a ticket run \`baton ticket set-status <ticket-id> in_progress\`, and
  \`baton ticket set-status <ticket-id> done\` once it is finished and verified.
- Every command explains itself: \`baton --help\`, \`baton resume --help\`.
`;

export const AGENTS_BLOCK_BEGIN = "<!-- baton:agents:begin -->";
export const AGENTS_BLOCK_END = "<!-- baton:agents:end -->";
const AGENTS_BLOCK_NOTE =
  "<!-- Kept by `baton init`: text between these markers is replaced, text outside them is yours. -->";

/**
 * `existing` with Baton's block between its markers, every other byte kept: the block is
 * replaced where its markers are, or appended after a blank line. Returns `existing` itself
 * when the block is already current, so a caller can tell nothing changed.
 */
export function upsertAgentsBlock(existing: string | null, text = AGENTS_BLOCK_TEXT): string {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  const block = `${AGENTS_BLOCK_BEGIN}\n${AGENTS_BLOCK_NOTE}\n\n${body}${AGENTS_BLOCK_END}`;
  const before = existing ?? "";
  const first = before.indexOf(AGENTS_BLOCK_BEGIN);
  const stop = first === -1 ? -1 : before.indexOf(AGENTS_BLOCK_END, first);
  if (stop !== -1) {
    const start = before.lastIndexOf(AGENTS_BLOCK_BEGIN, stop);
    const after = before.slice(0, start) + block + before.slice(stop + AGENTS_BLOCK_END.length);
    return after === before ? before : after;
  }
  if (before === "") return `${block}\n`;
  const base = before.endsWith("\n") ? before : `${before}\n`;
  return `${base}\n${block}\n`;
}
