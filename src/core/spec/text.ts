/**
 * Line handling shared by the spec parsers. Files come from every editor and OS, so CRLF, lone CR,
 * tabs and a missing final newline all have to give the same result as clean LF text.
 */

/** Splits on LF, CRLF and CR. A trailing newline does not produce an extra empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Leading whitespace width in columns; a tab advances to the next multiple of 4 (CommonMark). */
export function indentWidth(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === " ") width += 1;
    else if (char === "\t") width += 4 - (width % 4);
    else break;
  }
  return width;
}

export function isBlank(line: string): boolean {
  return line.trim() === "";
}

/** `# Heading` .. `###### Heading` (up to 3 spaces of indent, as CommonMark allows). */
export function headingLevel(line: string): number {
  const match = /^ {0,3}(#{1,6})(?:\s|$)/.exec(line);
  return match ? (match[1] as string).length : 0;
}

/**
 * Tracks fenced code blocks so that checkboxes or keywords inside examples are not read as
 * content. A fence closes only with the same character and at least the same length.
 */
export class FenceTracker {
  private open: { char: string; length: number } | null = null;

  /** Feeds one line; returns true when the line is a fence or inside a fenced block. */
  step(line: string): boolean {
    const match = /^\s*(`{3,}|~{3,})/.exec(line);
    if (this.open) {
      if (match) {
        const fence = match[1] as string;
        const rest = line.trim().slice(fence.length);
        if (fence[0] === this.open.char && fence.length >= this.open.length && rest.trim() === "") {
          this.open = null;
        }
      }
      return true;
    }
    if (match) {
      const fence = match[1] as string;
      this.open = { char: fence[0] as string, length: fence.length };
      return true;
    }
    return false;
  }
}
