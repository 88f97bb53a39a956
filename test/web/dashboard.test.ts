/**
 * The dashboard in a real browser: Debian's chromium, driven by playwright-core, headless, on a
 * `baton serve` process of its own. Skipped where there is no chromium, unless
 * BATON_REQUIRE_CHROMIUM=1 (CI installs it and sets that).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { baton, batonAsync } from "../helpers.ts";
import {
  copyOf,
  normalizedTree,
  type Serving,
  sampleWorkspace,
  startServe,
  stopServe,
} from "../http/support.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
const required = process.env.BATON_REQUIRE_CHROMIUM === "1";
if (!CHROMIUM && required) throw new Error("chromium is missing: apt-get install -y chromium");

describe("the dashboard in chromium", { skip: CHROMIUM ? false : "no chromium here" }, () => {
  let browser: Browser;
  let dir: string;
  let tickets: string[];
  let s: Serving;

  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM as string,
      args: ["--no-sandbox"],
      headless: true,
    });
    ({ dir, tickets } = sampleWorkspace());
    // A spec in review, submitted by an agent, for a person to approve on the page.
    assert.equal(baton(dir, ["spec", "submit", "user-auth", "--by", "agent"]).code, 0);
    s = await startServe(dir);
  });
  after(async () => {
    await browser?.close();
    if (s) await stopServe(s);
  });

  /** A page opened on the URL the server printed, with every problem it reports kept. */
  async function open(
    width = 1280,
  ): Promise<{ page: Page; problems: string[]; hosts: Set<string> }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const hosts = new Set<string>();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("request", (r) => hosts.add(new URL(r.url()).host));
    await page.goto(s.url);
    await page.waitForSelector(".live.on");
    return { page, problems, hosts };
  }

  test("the overview shows the sessions, the specs by stage, the waiting spec and the tickets", async () => {
    const { page, problems, hosts } = await open();
    await page.waitForSelector("text=Waiting for approval");
    const main = await page.locator("main").innerText();
    assert.match(main, /completed\s+seed-oauth-login/);
    assert.match(main, /in review/);
    assert.match(main, /user-auth/);
    for (const id of tickets) assert.match(main, new RegExp(id));
    assert.equal(await page.locator('.column[data-status="todo"] .ticket').count(), 2);
    assert.doesNotMatch(page.url(), /token=/, "the token left the address bar");
    assert.deepEqual(problems, []);
    assert.deepEqual([...hosts], [`127.0.0.1:${s.port}`], "nothing is loaded from elsewhere");
    await page.context().close();
  });

  test("a CLI write made elsewhere appears on the open page without a reload", async () => {
    const { page } = await open();
    await page.waitForSelector('.column[data-status="todo"] .ticket');
    const id = tickets[1] as string;
    const moved = page.waitForSelector(`.column[data-status="in_progress"] >> text=${id}`, {
      timeout: 5000,
    });
    const run = await batonAsync(dir, ["ticket", "set-status", id, "in_progress"]);
    assert.equal(run.code, 0, run.stderr);
    await moved;
    await page.waitForSelector(".activity >> text=(baton ticket set-status)", { timeout: 5000 });
    await page.context().close();
  });

  test("approving the spec on its page changes the files exactly as the CLI would", async () => {
    const twin = copyOf(dir, "twin");
    const cli = baton(twin, [
      "spec",
      "approve",
      "user-auth",
      "--by",
      "Reviewer",
      "--comment",
      "Looks right",
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const { page, problems } = await open();
    await page.click("text=user-auth >> nth=0");
    await page.waitForSelector("text=Approval");
    await page.fill('textarea[name="comment"]', "Looks right");
    await page.fill('input[name="by"]', "Reviewer");
    await page.click("button:has-text('Approve')");
    await page.waitForSelector("text=in review → approved");
    await page.waitForSelector("h2 >> text=approved");
    assert.deepEqual(normalizedTree(dir), normalizedTree(twin));
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test("the journal renders PLANNING.md, and an entry added there lands in it", async () => {
    const { page } = await open();
    await page.click("nav >> text=Journal");
    await page.waitForSelector(".markdown h3 >> text=Next Steps");
    await page.fill('input[name="text"]', "Found on the page");
    await page.click("button:has-text('Add')");
    await page.waitForSelector(".markdown >> text=Found on the page");
    assert.match(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), /Found on the page/);
    await page.context().close();
  });

  test("at 390 px every view fits: no horizontal scroll", async () => {
    const { page } = await open(390);
    for (const hash of ["#/", "#/spec/user-auth", "#/journal"]) {
      await page.goto(`http://127.0.0.1:${s.port}/${hash}`);
      await page.waitForSelector("main h2, main .markdown");
      const [scroll, width] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        window.innerWidth,
      ]);
      assert.ok(scroll <= width, `${hash}: ${scroll} px wide in a ${width} px window`);
    }
    const shot = await page.screenshot({ fullPage: true });
    assert.ok(shot.length > 1000);
    await page.context().close();
  });

  test("light or dark as the system is; every control reachable by keyboard", async () => {
    const { page } = await open();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    assert.notEqual(await background(), light);
    await page.goto(`http://127.0.0.1:${s.port}/#/journal`);
    await page.waitForSelector('input[name="text"]');
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      reached.add(
        await page.evaluate(
          () =>
            document.activeElement?.getAttribute("name") ??
            document.activeElement?.textContent ??
            "",
        ),
      );
    }
    for (const name of ["Overview", "Journal", "text"])
      assert.ok(reached.has(name), `${name} by Tab: ${[...reached]}`);
    await page.context().close();
  });

  test("a page elsewhere cannot use the server, even knowing the token", async () => {
    // Another site on this machine: its page fetches with the token and posts a form.
    const evil = http.createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(
        `<form id="f" method="POST" action="http://127.0.0.1:${s.port}/api/v1/journal/add" enctype="text/plain"><input name='{"kind":"note","text":"forged","x":"' value='"}'></form>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const evilPort = (evil.address() as { port: number }).port;
    const { page } = await open();
    const before = fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8");
    await page.goto(`http://localhost:${evilPort}/`);
    const fetched = await page.evaluate(
      async ([port, token]) => {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/journal/add`, {
            method: "POST",
            credentials: "include",
            headers: {
              authorization: `Bearer ${token}`,
              "x-baton-token": token as string,
              "content-type": "application/json",
            },
            body: JSON.stringify({ kind: "note", text: "forged" }),
          });
          return `answered ${r.status}`;
        } catch {
          return "refused";
        }
      },
      [s.port, s.token],
    );
    assert.equal(fetched, "refused");
    const posted = page.waitForNavigation().catch(() => null);
    await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
    await posted;
    assert.match(await page.content(), /FORBIDDEN|UNAUTHORIZED/);
    assert.equal(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), before);
    evil.close();
    await page.context().close();
  });
});
