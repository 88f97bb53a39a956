/**
 * Markdown as Preact elements, for the journal and documents: headings, paragraphs, lists and
 * checklists, code blocks, inline code and bold. Text is never parsed as HTML (an HTML comment,
 * such as Baton's section markers, is left out), so a document cannot inject markup.
 */
import type { ComponentChildren } from "preact";

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? <code>{m[1]}</code> : <strong>{m[2]}</strong>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const blocks: ComponentChildren[] = [];
  const lines = text.replace(/<!--[\s\S]*?-->/g, "").split("\n");
  let i = 0;
  let key = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).startsWith(fence[1] as string))
        body.push(lines[i++] as string);
      i++;
      blocks.push(
        <pre key={key++}>
          <code>{body.join("\n")}</code>
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1] as string).length + 1);
      const Tag = `h${level}` as "h2";
      blocks.push(<Tag key={key++}>{inline(heading[2] as string)}</Tag>);
      i++;
      continue;
    }
    if (/^\s*[-*]\s+/.test(line)) {
      const items: ComponentChildren[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i] as string)) {
        const item = (lines[i] as string).replace(/^\s*[-*]\s+/, "");
        const box = /^\[([ xX~-])\]\s*(.*)$/.exec(item);
        items.push(
          <li key={i} class={box ? "check" : undefined}>
            {box ? <input type="checkbox" checked={box[1] !== " "} disabled /> : null}
            {inline(box ? (box[2] as string) : item)}
          </li>,
        );
        i++;
      }
      blocks.push(<ul key={key++}>{items}</ul>);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !/^\s*$/.test(lines[i] as string) &&
      !/^(#{1,6}\s|```|~~~|\s*[-*]\s+)/.test(lines[i] as string)
    )
      para.push(lines[i++] as string);
    blocks.push(<p key={key++}>{inline(para.join(" "))}</p>);
  }
  return <div class="markdown">{blocks}</div>;
}
