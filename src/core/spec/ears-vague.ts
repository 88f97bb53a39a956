/**
 * Words that make a requirement untestable: nobody can write a pass/fail check for "quickly" or
 * "user-friendly". The list is kept short on purpose (the usual suspects from requirements
 * engineering guides) so the warning stays worth reading; "correctly" and "clear" are left out
 * because they are nearly always shorthand for behaviour stated elsewhere in the criterion.
 */

const VAGUE_TERMS: readonly string[] = [
  "quickly",
  "fast",
  "user-friendly",
  "user friendly",
  "easy",
  "easily",
  "intuitive",
  "intuitively",
  "appropriate",
  "appropriately",
  "adequate",
  "adequately",
  "reasonable",
  "reasonably",
  "efficient",
  "efficiently",
  "seamless",
  "seamlessly",
  "robust",
  "flexible",
  "gracefully",
  "properly",
  "as needed",
  "as appropriate",
  "if possible",
  "where possible",
  "and so on",
  "etc.",
  "etc",
];

function escapeRegExp(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Neighbouring letters, digits and hyphens end a match, so "fail-fast" and "breakfast" are not
 * "fast". Longer terms come first so "etc." wins over "etc".
 */
const VAGUE = new RegExp(
  `(?<![\\p{L}\\p{N}-])(${[...VAGUE_TERMS]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|")})(?![\\p{L}\\p{N}-])`,
  "giu",
);

/** Distinct vague terms in `text`, lower-cased, in the order they first appear. */
export function vagueTerms(text: string): string[] {
  const withoutCode = text.replace(/`[^`]*`/g, " ");
  const found: string[] = [];
  for (const match of withoutCode.matchAll(VAGUE)) {
    const term = (match[1] as string).toLowerCase();
    if (!found.includes(term)) found.push(term);
  }
  return found;
}
