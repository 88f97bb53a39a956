/**
 * A Markdown table with padded columns, laid out the way the repository's formatter lays tables
 * out, so a generated docs file passes `biome check` without a second formatting pass.
 */
export type Align = "left" | "right";

export function markdownTable(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((cell, i) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const pad = (cell: string, i: number) => {
    const width = widths[i] ?? cell.length;
    return align[i] === "right" ? cell.padStart(width) : cell.padEnd(width);
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((w, i) =>
    align[i] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w),
  );
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
