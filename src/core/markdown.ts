/**
 * Section edits on Markdown that people also edit by hand. Baton only touches the section it
 * owns (a `## Heading` up to the next heading of level 1 or 2) and leaves every other byte alone.
 */

interface SectionBounds {
  /** Index of the first character of the heading line. */
  start: number;
  /** Index just past the heading line (its newline included). */
  bodyStart: number;
  /** Index of the next level-1/2 heading, or the end of the document. */
  end: number;
}

function findSection(doc: string, heading: string): SectionBounds | null {
  const lines = doc.split("\n");
  let offset = 0;
  let found: { start: number; bodyStart: number } | null = null;
  let inFence = false;
  for (const line of lines) {
    const lineEnd = offset + line.length + 1;
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence) {
      if (found && /^#{1,2}\s/.test(line)) return { ...found, end: offset };
      if (!found && line.trimEnd() === `## ${heading}`) {
        found = { start: offset, bodyStart: Math.min(lineEnd, doc.length) };
      }
    }
    offset = lineEnd;
  }
  return found ? { ...found, end: doc.length } : null;
}

function withTrailingNewline(doc: string): string {
  return doc === "" || doc.endsWith("\n") ? doc : `${doc}\n`;
}

/** The lines of a section's body, or null when the section does not exist. */
export function sectionLines(doc: string, heading: string): string[] | null {
  const bounds = findSection(doc, heading);
  if (!bounds) return null;
  return doc.slice(bounds.bodyStart, bounds.end).split("\n");
}

/**
 * Adds `line` at the end of the section (creating the section at the end of the document when
 * absent) unless the section already holds that exact line. Idempotent.
 */
export function ensureLineInSection(doc: string, heading: string, line: string): string {
  const bounds = findSection(doc, heading);
  if (!bounds) {
    const base = withTrailingNewline(doc);
    const gap = base === "" || base.endsWith("\n\n") ? "" : "\n";
    return `${base}${gap}## ${heading}\n\n${line}\n`;
  }
  const body = doc.slice(bounds.bodyStart, bounds.end);
  if (body.split("\n").some((existing) => existing.trimEnd() === line)) return doc;
  const trimmedBody = body.replace(/\n+$/, "");
  const separator = trimmedBody.trim() === "" ? "\n" : `${trimmedBody}\n`;
  const rest = doc.slice(bounds.end);
  const tail = rest === "" ? "" : "\n";
  return `${doc.slice(0, bounds.bodyStart)}${separator}${line}\n${tail}${rest}`;
}

/**
 * Replaces a block Baton generates: the `## Heading` line and the one run of non-blank lines
 * right after it (a generated body never holds a blank line). The block is created after the
 * document's title when absent. Everything else, including text a person or agent wrote below
 * the block without a heading of its own (a plan body usually starts that way), is preserved
 * byte for byte.
 */
export function replaceSection(doc: string, heading: string, body: string): string {
  const block = `## ${heading}\n\n${body.replace(/\n+$/, "")}\n`;
  const bounds = findSection(doc, heading);
  if (bounds) {
    const end = generatedBlockEnd(doc, bounds);
    const rest = doc.slice(end);
    const gap = rest === "" || rest.startsWith("\n") ? "" : "\n";
    return `${doc.slice(0, bounds.start)}${block}${gap}${rest}`;
  }
  const base = withTrailingNewline(doc);
  const title = /^# .*\n/.exec(base);
  if (!title) return `${base}${base === "" ? "" : "\n"}${block}`;
  const after = base.slice(title[0].length).replace(/^\n+/, "");
  return `${title[0]}\n${block}${after === "" ? "" : `\n${after}`}`;
}

/**
 * The document without the block `replaceSection` generates under `heading` (the heading, the
 * blank lines after it and the first non-blank run), keeping whatever follows it without a
 * heading of its own; unchanged when there is no such section.
 */
export function removeGeneratedBlock(doc: string, heading: string): string {
  const bounds = findSection(doc, heading);
  if (!bounds) return doc;
  const rest = doc.slice(generatedBlockEnd(doc, bounds)).replace(/^\n+/, "");
  return `${doc.slice(0, bounds.start)}${rest}`;
}

/** End of the generated block: blank lines after the heading, then the first non-blank run. */
function generatedBlockEnd(doc: string, bounds: SectionBounds): number {
  let offset = bounds.bodyStart;
  let seenText = false;
  while (offset < bounds.end) {
    const newline = doc.indexOf("\n", offset);
    const lineEnd = newline === -1 || newline + 1 > bounds.end ? bounds.end : newline + 1;
    const blank = doc.slice(offset, lineEnd).trim() === "";
    if (blank && seenText) return offset;
    if (!blank) seenText = true;
    offset = lineEnd;
  }
  return bounds.end;
}

export interface ChecklistItem {
  text: string;
  done: boolean;
  line: number;
}

/** `- [ ]` / `- [x]` items (also `*` and `+` bullets), outside fenced code blocks. */
export function checklistItems(doc: string): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  let inFence = false;
  doc.split("\n").forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const match = /^\s*[-*+]\s+\[([ xX])\]\s+(.+?)\s*$/.exec(line);
    if (match) items.push({ text: match[2] as string, done: match[1] !== " ", line: index + 1 });
  });
  return items;
}
