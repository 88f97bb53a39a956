import fs from "node:fs";

/**
 * Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). A terminal is
 * recognised as a character device: asking `process.stderr.isTTY` would build the stream stack
 * (and load node:net) on every command just to print one notice.
 */
export function colorEnabled(fd: number): boolean {
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  if (process.env.FORCE_COLOR === "0") return false;
  try {
    return fs.fstatSync(fd).isCharacterDevice() && !isDevNull(fd);
  } catch {
    return false;
  }
}

function isDevNull(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd);
    const devNull = fs.statSync("/dev/null");
    return stat.rdev === devNull.rdev;
  } catch {
    return false;
  }
}

export function paint(enabled: boolean, code: number, text: string): string {
  return enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const BOLD = 1;
export const RED = 31;
export const GREEN = 32;
export const YELLOW = 33;
export const DIM = 2;

/** Left-aligned columns for tabular text output. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}
