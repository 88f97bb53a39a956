/**
 * The dashboard: the overview, a spec and the journal, kept current by the live socket. It
 * speaks to `baton serve` over HTTP only and loads nothing from elsewhere.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "./app.css";
import { useLive } from "./live.ts";
import { Journal } from "./views/journal.tsx";
import { Overview } from "./views/overview.tsx";
import { Spec } from "./views/spec.tsx";

function useRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return hash.replace(/^#/, "") || "/";
}

function App() {
  const live = useLive();
  const route = useRoute();
  const spec = /^\/spec\/(.+)$/.exec(route);
  const page = spec ? (
    <Spec name={decodeURIComponent(spec[1] as string)} live={live} />
  ) : route === "/journal" ? (
    <Journal live={live} />
  ) : (
    <Overview live={live} />
  );
  return (
    <>
      <header>
        <h1>
          <a href="#/">Baton</a>
        </h1>
        <nav>
          <a href="#/" aria-current={route === "/" ? "page" : undefined}>
            Overview
          </a>
          <a href="#/journal" aria-current={route === "/journal" ? "page" : undefined}>
            Journal
          </a>
        </nav>
        <span class={`live ${live.connected ? "on" : "off"}`} role="status">
          {live.connected ? "live" : "offline"}
        </span>
      </header>
      <main>{page}</main>
    </>
  );
}

// The token came in the URL and is a cookie now: out of the address bar and the history.
if (new URLSearchParams(location.search).has("token"))
  history.replaceState(null, "", `/${location.hash}`);
render(<App />, document.getElementById("app") as HTMLElement);
