/**
 * JSON with comments and trailing commas (JSONC, which VS Code allows in its config files) turned
 * into plain JSON of the same length: each comment becomes spaces (its line breaks kept) and each
 * trailing comma a space, so every offset into the result is the same offset into the original.
 * An unterminated comment is kept as it is, so the text still fails to parse.
 */
export function stripJsonc(text: string): string {
  return dropTrailingCommas(blankComments(text));
}

/**
 * The index just past the quoted string that opens at `i` (or the end of the text when
 * unterminated). The quote is `text[i]`: in a `"` string a backslash escapes the next character,
 * in a `'` string (TOML's literal strings) nothing is escaped.
 */
export function quotedEnd(text: string, i: number): number {
  const quote = text.charAt(i);
  let j = i + 1;
  while (j < text.length) {
    const c = text.charAt(j);
    if (quote === '"' && c === "\\") j += 2;
    else if (c === quote) return j + 1;
    else j++;
  }
  return text.length;
}

function blankComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '"') {
      const end = quotedEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && next === "/") {
      let end = text.indexOf("\n", i);
      if (end === -1) end = text.length;
      else if (text.charAt(end - 1) === "\r") end--;
      out += " ".repeat(end - i);
      i = end;
    } else if (c === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close === -1 ? text.length : close + 2;
      const comment = text.slice(i, end);
      out += close === -1 ? comment : comment.replace(/[^\r\n]/g, " ");
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function dropTrailingCommas(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = quotedEnd(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text.charAt(j))) j++;
      const closer = text.charAt(j);
      out += closer === "}" || closer === "]" ? " " : c;
    } else {
      out += c;
    }
    i++;
  }
  return out;
}
