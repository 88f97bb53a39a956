/**
 * `planning-notes.md`: one section per phase of the plan workflow. Each section's body sits
 * between `<!-- baton:begin notes-<key> -->` and `<!-- baton:end notes-<key> -->` markers, so a
 * phase rewrites its own section and every other byte of the file is kept.
 */

export const NOTES_SECTIONS = [
  { key: "intent", heading: "User Intent (Phase 1)" },
  { key: "context", heading: "Context Findings (Phase 2)" },
  { key: "conflicts", heading: "Conflict Decisions (Phase 3)" },
  { key: "constraints", heading: "Consolidated Constraints (Phase 4 Input)" },
  { key: "tasks", heading: "Task Generation (Phase 4)" },
  { key: "next", heading: "N+1 Context" },
] as const;

export type NotesSectionKey = (typeof NOTES_SECTIONS)[number]["key"];

const begin = (key: string) => `<!-- baton:begin notes-${key} -->`;
const end = (key: string) => `<!-- baton:end notes-${key} -->`;

/** The section named by its key or its heading (`Context Findings (Phase 2)`), or null. */
export function notesSection(name: string): { key: NotesSectionKey; heading: string } | null {
  const wanted = name.trim().replace(/^#+\s*/, "");
  return NOTES_SECTIONS.find((s) => s.key === wanted || s.heading === wanted) ?? null;
}

function placeholder(key: NotesSectionKey): string {
  switch (key) {
    case "intent":
      return "_Pending: phase 1 (structure)._";
    case "context":
      return "_Pending: phase 2 (context)._";
    case "conflicts":
      return "_Pending: phase 3 (conflicts)._";
    case "constraints":
      return "_Pending: gathered from phases 1–3 before tasks are written._";
    case "tasks":
      return "_Pending: phase 4 (tasks)._";
    case "next":
      return [
        "### Decisions",
        "",
        "| decision | reason | phase |",
        "| -------- | ------ | ----- |",
        "",
        "### Deferred",
        "",
        "- (none yet)",
      ].join("\n");
  }
}

function block(key: string, body: string): string {
  return `${begin(key)}\n${body.replace(/\n+$/, "")}\n${end(key)}`;
}

/** A fresh planning-notes.md for a plan, every section with its placeholder. */
export function renderNotes(planId: string, title: string): string {
  const parts = [
    `# Planning Notes: ${title}`,
    "",
    `Plan \`${planId}\`. Each phase of the plan workflow fills its own section between the`,
    "`baton:begin` and `baton:end` markers; text outside the markers is kept.",
  ];
  for (const s of NOTES_SECTIONS)
    parts.push("", `## ${s.heading}`, "", block(s.key, placeholder(s.key)));
  return `${parts.join("\n")}\n`;
}

/**
 * Replaces one section's body between its markers. A section missing from the file (markers
 * deleted by hand) is appended at the end with its heading.
 */
export function replaceNotesSection(doc: string, key: NotesSectionKey, body: string): string {
  const start = doc.indexOf(begin(key));
  const stop = start === -1 ? -1 : doc.indexOf(end(key), start);
  if (start === -1 || stop === -1) {
    const heading = NOTES_SECTIONS.find((s) => s.key === key)?.heading ?? key;
    const base = doc === "" || doc.endsWith("\n") ? doc : `${doc}\n`;
    return `${base}\n## ${heading}\n\n${block(key, body)}\n`;
  }
  return `${doc.slice(0, start)}${block(key, body)}${doc.slice(stop + end(key).length)}`;
}

/** A section's body between its markers, or null when the markers are missing. */
export function readNotesSection(doc: string, key: NotesSectionKey): string | null {
  const start = doc.indexOf(begin(key));
  const stop = start === -1 ? -1 : doc.indexOf(end(key), start);
  if (start === -1 || stop === -1) return null;
  return doc.slice(start + begin(key).length + 1, stop).replace(/\n$/, "");
}
