/**
 * Packs what a fresh agent session needs into a token budget: sections in priority order, each
 * cut to fit with a line saying how much was left out and where to read it. Tokens are
 * estimated at four characters each, close enough for English and code to plan a context.
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

export function packBrief(sections: BriefSection[], budget: number): PackedBrief {
  let used = 0;
  let truncated = false;
  const packed: PackedSection[] = [];
  for (const section of sections) {
    if (section.lines.length === 0) continue;
    const header = estimateTokens(`## ${section.title}\n\n`);
    if (used + header > budget) {
      truncated = true;
      break;
    }
    used += header;
    const kept: string[] = [];
    for (const [i, line] of section.lines.entries()) {
      const remaining = section.lines.length - i - 1;
      const cost = estimateTokens(`${line}\n`);
      const reserve =
        remaining > 0 ? estimateTokens(`- … ${remaining} more (${section.more})\n`) : 0;
      if (used + cost + reserve > budget) break;
      kept.push(line);
      used += cost;
    }
    const omitted = section.lines.length - kept.length;
    if (omitted > 0) {
      truncated = true;
      const note = `- … ${omitted} more (${section.more})`;
      used += estimateTokens(`${note}\n`);
      kept.push(note);
    }
    packed.push({ title: section.title, lines: kept, omitted });
  }
  return { budget, tokens: used, truncated, sections: packed };
}

export function renderBrief(brief: PackedBrief): string {
  return brief.sections.map((s) => `## ${s.title}\n\n${s.lines.join("\n")}`).join("\n\n");
}
