/**
 * Packs what a fresh agent session needs into a token budget: sections in priority order, each
 * cut to fit with a line saying how much was left out and where to read it. Tokens are
 * estimated at four characters each, close enough for English and code to plan a context.
 * The estimate covers everything `renderBrief` prints, its closing line included.
 */
export interface BriefSection {
  title: string;
  lines: string[];
  /** Where to read what did not fit. */
  more: string;
}

export interface PackedSection {
  title: string;
  lines: string[];
  omitted: number;
}

export interface PackedBrief {
  budget: number;
  tokens: number;
  truncated: boolean;
  sections: PackedSection[];
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** What every part costs: a section's heading carries the blank line that separates it. */
const headerCost = (title: string) => estimateTokens(`\n\n## ${title}\n\n`);
const lineCost = (line: string) => estimateTokens(`${line}\n`);
const moreLine = (count: number, more: string) => `- … ${count} more (${more})`;

function footer(tokens: number, budget: number, truncated: boolean): string {
  return `(about ${tokens} of ${budget} tokens${truncated ? "; cut to fit" : ""})`;
}

export function packBrief(sections: BriefSection[], budget: number): PackedBrief {
  // The closing line is paid for first, at its longest.
  let used = estimateTokens(`\n\n${footer(budget, budget, true)}`);
  let truncated = false;
  const packed: PackedSection[] = [];
  for (const section of sections) {
    if (section.lines.length === 0) continue;
    const header = headerCost(section.title);
    const kept: string[] = [];
    let cost = header;
    for (const [i, line] of section.lines.entries()) {
      const remaining = section.lines.length - i - 1;
      const reserve = remaining > 0 ? lineCost(moreLine(remaining, section.more)) : 0;
      if (used + cost + lineCost(line) + reserve > budget) break;
      kept.push(line);
      cost += lineCost(line);
    }
    const omitted = section.lines.length - kept.length;
    if (omitted > 0) {
      truncated = true;
      const note = moreLine(omitted, section.more);
      // When not even one line fits, the pointer alone may; when it does not either, the
      // section is left out.
      if (kept.length === 0 && used + cost + lineCost(note) > budget) continue;
      kept.push(note);
      cost += lineCost(note);
    }
    used += cost;
    packed.push({ title: section.title, lines: kept, omitted });
  }
  return { budget, tokens: used, truncated, sections: packed };
}

export function renderBrief(brief: PackedBrief): string {
  const body = brief.sections.map((s) => `## ${s.title}\n\n${s.lines.join("\n")}`).join("\n\n");
  const close = footer(brief.tokens, brief.budget, brief.truncated);
  return body === "" ? close : `${body}\n\n${close}`;
}
