import { useState } from "preact/hooks";
import { get, post, Refused } from "../api.ts";
import { useData } from "../data.ts";
import type { Live } from "../live.ts";
import { Markdown } from "../markdown.tsx";
import type { Journal as JournalView } from "../types.ts";
import { Show } from "./common.tsx";

function AddEntry() {
  const [kind, setKind] = useState("note");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="add-entry"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return;
        try {
          await post("journal/add", { kind, text: text.trim() });
          setText("");
          setError(null);
        } catch (err) {
          setError(
            err instanceof Refused ? `${err.error.code}: ${err.error.message}` : String(err),
          );
        }
      }}
    >
      <select
        name="kind"
        value={kind}
        aria-label="kind"
        onChange={(e) => setKind((e.target as HTMLSelectElement).value)}
      >
        <option value="note">note</option>
        <option value="decision">decision</option>
        <option value="next">next step</option>
      </select>
      <input
        name="text"
        value={text}
        aria-label="entry"
        placeholder="a finding, a decision or a next step"
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Add</button>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function Journal({ live }: { live: Live }) {
  const data = useData(() => get<JournalView>("journal/show"), [live.revision]);
  return (
    <>
      <AddEntry />
      <Show data={data}>{(journal) => <Markdown text={journal.text} />}</Show>
    </>
  );
}
