import type { ImportItem, ImportResult } from "../../app/import/import.ts";
import { FORMAT_NAMES } from "../../core/import/model.ts";
import type { Render } from "../derive.ts";

/** Items a dry run spells out one per line before it says "and N more". */
const SHOWN_ITEMS = 40;

const DONE: Record<string, string> = { create: "created", update: "updated", skip: "unchanged" };
const WOULD: Record<string, string> = {
  create: "would create",
  update: "would update",
  skip: "unchanged",
};

export function renderImport(r: ImportResult): string {
  const name = FORMAT_NAMES[r.format];
  const words = r.dry_run ? WOULD : DONE;
  const lines = [
    r.dry_run
      ? `Dry run of the ${name} import of ${r.path === "." ? "the workspace root" : r.path}: nothing was changed.`
      : `Imported ${name} from ${r.path === "." ? "the workspace root" : r.path}:`,
  ];
  for (const s of r.specs) {
    const renamed = s.renamed_from ? `, named ${s.name} because ${s.renamed_from} was taken` : "";
    lines.push(
      `  spec ${s.name} (${words[s.action]}, ${s.stage}${renamed}): ${s.path}, ${s.tasks ?? "no tasks.md"}`,
    );
    if (s.stage_reason) lines.push(`    stage ${s.stage}: ${s.stage_reason}`);
    if (s.missing.length > 0) lines.push(`    ${s.missing.join("; ")}`);
  }
  for (const p of r.plans) {
    const statuses = Object.entries(p.statuses)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ");
    lines.push(
      `  plan ${p.id} (${words[p.action]}): ${p.tasks} task${p.tasks === 1 ? "" : "s"}${statuses ? ` (${statuses})` : ""}, ${p.dependencies} dependenc${p.dependencies === 1 ? "y" : "ies"}, ${p.acceptance} acceptance criteri${p.acceptance === 1 ? "on" : "a"}; tasks ${p.created} new, ${p.updated} updated, ${p.skipped} unchanged`,
    );
  }
  const kinds = (action: string) => {
    const counts = new Map<string, number>();
    for (const i of r.items)
      if (i.action === action) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
    return counts.size === 0
      ? ""
      : ` (${[...counts].map(([k, n]) => `${n} ${k}${n === 1 ? "" : "s"}`).join(", ")})`;
  };
  lines.push(
    `${r.dry_run ? "Would create" : "Created"} ${r.created}${kinds("create")}, ${r.dry_run ? "would update" : "updated"} ${r.updated}${kinds("update")}, ${r.skipped} unchanged.`,
  );
  if (r.dry_run) {
    const changing = r.items.filter((i) => i.action !== "skip");
    for (const item of changing.slice(0, SHOWN_ITEMS)) lines.push(`  ${itemLine(item)}`);
    if (changing.length > SHOWN_ITEMS)
      lines.push(`  … and ${changing.length - SHOWN_ITEMS} more (--json lists every item)`);
  }
  if (r.unmapped.length > 0) {
    const byField = new Map<string, number>();
    for (const u of r.unmapped) byField.set(u.field, (byField.get(u.field) ?? 0) + 1);
    const fields = [...byField]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => (n === 1 ? f : `${f} ×${n}`));
    lines.push(
      `Fields with no place in Baton (${r.unmapped.length}, kept in the tickets' and plans' text; --json lists each): ${fields.slice(0, 12).join(", ")}${fields.length > 12 ? ", …" : ""}`,
    );
  }
  if (r.left_out.length > 0) {
    lines.push(`Left out ${r.left_out.length} file${r.left_out.length === 1 ? "" : "s"}:`);
    for (const f of r.left_out.slice(0, 10)) lines.push(`  ${f.path}: ${f.reason}`);
    if (r.left_out.length > 10) lines.push(`  … and ${r.left_out.length - 10} more`);
  }
  return lines.join("\n");
}

function itemLine(i: ImportItem): string {
  const sign = i.action === "create" ? "+" : "~";
  const id = i.id ?? (i.task ? `(new, for task ${i.task})` : "(new)");
  const fields = i.fields && i.fields.length > 0 ? ` [${i.fields.join(", ")}]` : "";
  return `${sign} ${i.kind} ${id}${i.plan && i.kind !== "ticket" ? ` in ${i.plan}` : ""}${fields} <- ${i.source}`;
}

export const importRenderers: Readonly<Record<string, Render>> = {
  import: renderImport as Render,
};
