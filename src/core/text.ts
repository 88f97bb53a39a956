import { BatonError } from "./errors.ts";

/**
 * C0 controls, DEL and C1 controls: bytes a terminal acts on (ESC starts a sequence that can
 * retitle the window or clear the screen; U+009B is a one-character CSI to some terminals)
 * and NUL, which files and C strings treat as an end. No text a person types needs them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but tab, line feed and carriage return, which multi-line text may hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** What `escapeControls` escapes: those, and a carriage return not ending a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
const ESCAPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

/** `U+001B`: a character as its code point, for messages that must not contain it. */
export function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Refuses text holding a control character, so it is never written to a file or printed:
 * `multiline` allows tab and line breaks (a journal entry, which is folded onto one line),
 * otherwise the text is one line of printable characters (a title). Every face calls this
 * through the same use case, so the CLI and MCP refuse the same input with the same error.
 */
export function assertPrintable(text: string, what: string, multiline = false): string {
  const found = (multiline ? CONTROL_IN_LINES : CONTROL).exec(text);
  if (found) {
    throw new BatonError(
      "INVALID_INPUT",
      `the ${what} holds the control character ${codePoint(found[0])} at position ${found.index + 1}`,
      multiline
        ? `give the ${what} as printable text; only tabs and line breaks are kept`
        : `give the ${what} as one line of printable text, without control characters or line breaks`,
    );
  }
  return text;
}

/**
 * Text about to be printed, with every control character a terminal acts on escaped as JSON
 * spells it (`ESC` as `\u001b`): titles, file contents and error messages quote what others
 * wrote, and a raw `ESC ]0;…` or `ESC [2J` in them would retitle the window or clear the
 * screen. Tabs and line breaks stay (a carriage return only before a line feed). JSON text
 * keeps its meaning: `JSON.stringify` leaves only DEL and the C1 controls raw, and only inside
 * strings, where `\u007f` is the same character.
 */
export function escapeControls(text: string): string {
  return text.replace(
    ESCAPED,
    (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
}
