// Search on the sample site served by `depeche serve`, in Debian's headless Chromium: a
// reader types words into the header's search box, in French and in English, and finds
// the expected briefs (a French one through an unaccented spelling, "electeurs" for
// "électeurs"), and the site's own page finds briefs of every language; results show
// their date and highlight the words; the keyboard alone reaches the box and the
// results; axe-core finds nothing on the results, in light and dark mode; and with
// JavaScript off the box leads to a page that says why, linking the archives and tags.
// Built under a base path (`base_url = "https://example.org/blog/"`), the results lead
// to the briefs' addresses with the base path, once.
//
//   node tests/browser/search.mjs PATH/TO/depeche SITE
//
// Needs playwright-core and axe-core (npm) in PLAYWRIGHT_DIR. Prints "search: N passed, 0 failed".
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, require, startServer } from "./support.mjs";

const axePath = require.resolve("axe-core/axe.min.js");
const [depeche, site] = process.argv.slice(2);

let passed = 0;
let failed = 0;
const check = (condition, what) => {
  if (condition) {
    passed += 1;
  } else {
    failed += 1;
    console.error(`FAIL ${what}`);
  }
};

const { server, url } = await startServer(depeche, site);
const browser = await launchChromium();
try {
  // The preview indexes off the edit path: wait until the search pages open its shards.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const pages = await Promise.all(["/fr/search/", "/en/search/"].map((path) => fetch(url + path).then((r) => r.text())));
    if (pages.every((page) => page.includes('id="search-shards"'))) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const searches = [
    // [page to start from, words typed, title expected among the results, page's language]
    ["/fr/", "electeurs", "Élections européennes", "fr"],
    ["/fr/", "participation", "Élections européennes", "fr"],
    ["/en/", "support", "Windows 10", "en"],
  ];
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    for (const [start, words, expected, lang] of searches) {
      await page.goto(url + start);
      // Keyboard only: the skip link, then Tab until the search box has the focus.
      let focused = "";
      for (let tab = 0; tab < 20 && focused !== "site-search-words"; tab += 1) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      }
      check(focused === "site-search-words", `${start}: the search box is reached with Tab`);
      await page.keyboard.type(words);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/search\/\?q=/);
      check(new URL(page.url()).pathname === `/${lang}/search/`, `${words}: the search page in ${lang} (${page.url()})`);
      const title = page.locator(".pagefind-ui__result-link", { hasText: expected }).first();
      try {
        await title.waitFor({ timeout: 15000 });
        check(true, "");
      } catch {
        check(false, `${words}: no result titled ${expected}: ${await page.locator("#search-results").innerText()}`);
        continue;
      }
      const result = page.locator(".pagefind-ui__result", { has: title });
      const excerpt = await result.locator(".pagefind-ui__result-excerpt").innerHTML();
      check(/<time>[^<]*\d{4}<\/time>/.test(excerpt), `${words}: the result shows its date: ${excerpt}`);
      check(/<mark>/.test(excerpt), `${words}: the words are highlighted: ${excerpt}`);
      // The keyboard reaches the result's link.
      let onResult = false;
      for (let tab = 0; tab < 40 && !onResult; tab += 1) {
        await page.keyboard.press("Tab");
        onResult = await page.evaluate(
          () => document.activeElement && document.activeElement.classList.contains("pagefind-ui__result-link"),
        );
      }
      check(onResult, `${words}: a result's link is reached with Tab`);
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      check(results.violations.length === 0, `${words} (${scheme}): axe: ${results.violations.map((v) => v.id).join(", ")}`);
      for (const violation of results.violations) {
        for (const node of violation.nodes.slice(0, 3)) console.error(`  ${node.target.join(" ")}: ${node.failureSummary}`);
      }
    }
    await context.close();
  }
  // The site's own search page (/search/, in the site's language) searches every
  // language's shards: an English brief is found from it.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/search/?q=support`);
    try {
      await page.locator(".pagefind-ui__result-link", { hasText: "Windows 10" }).first().waitFor({ timeout: 15000 });
      check(true, "");
    } catch {
      check(false, `/search/: no English result: ${await page.locator("#search-results").innerText()}`);
    }
    await context.close();
  }
  // Under a base path, served under /blog/: Pagefind would put its bundle's path before
  // the addresses the index stores whole (base path included) without the page's
  // `baseUrl: "/"`, doubling the base path.
  {
    const copy = mkdtempSync(join(tmpdir(), "depeche-base-path-"));
    for (const entry of ["depeche.toml", "authors.yaml", "content", "static", "templates", "themes", "i18n"]) {
      if (existsSync(join(site, entry))) cpSync(join(site, entry), join(copy, entry), { recursive: true });
    }
    const config = readFileSync(join(copy, "depeche.toml"), "utf8");
    writeFileSync(join(copy, "depeche.toml"), config.replace(/^base_url\s*=.*$/m, 'base_url = "https://example.org/blog/"'));
    const based = await startServer(depeche, copy);
    const context = await browser.newContext();
    try {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const page = await fetch(`${based.url}/blog/fr/search/`).then((r) => r.text());
        if (page.includes('id="search-shards"')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const page = await context.newPage();
      await page.goto(`${based.url}/blog/fr/search/?q=electeurs`);
      const link = page.locator(".pagefind-ui__result-link", { hasText: "Élections européennes" }).first();
      await link.waitFor({ timeout: 15000 });
      const href = await link.getAttribute("href");
      check(/^\/blog\/\d{4}\/\d{2}\/[^/]+\/$/.test(href), `under /blog/: a result leads to ${href}`);
      const response = await page.goto(new URL(href, based.url).href);
      check(response.status() === 200, `under /blog/: ${href} answers ${response.status()}`);
      check((await page.locator("h1").innerText()).includes("Élections européennes"), `under /blog/: ${href} is the brief`);
    } catch (error) {
      check(false, `under /blog/: ${error.message}`);
    } finally {
      await context.close();
      based.server.kill("SIGINT");
      rmSync(copy, { recursive: true, force: true });
    }
  }
  // Without JavaScript: the box still leads somewhere useful.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${url}/fr/search/?q=electeurs`);
  const message = await page.locator(".search-needs-script").innerText();
  const links = await page.locator(".search-needs-script a").evaluateAll((all) => all.map((a) => a.getAttribute("href")));
  check(message.includes("JavaScript"), `without JavaScript, the page says why: ${message}`);
  check(links.some((href) => href.endsWith("/archives/")) && links.some((href) => href.endsWith("/tags/")), `links: ${links}`);
  await context.close();
} finally {
  await browser.close();
  server.kill("SIGINT");
}
console.log(`search: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
