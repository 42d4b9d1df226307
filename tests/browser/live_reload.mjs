// End-to-end: real headless Chromium (Debian's package) on a page served by
// `depeche serve`. Editing the brief on disk must change what the browser shows without
// any reload by hand; breaking it must show the error overlay, fixing it must remove it.
//
//   node tests/browser/live_reload.mjs PATH/TO/depeche
//
// Needs playwright-core (npm) and /usr/bin/chromium. Prints "browser: N passed, 0 failed".
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, startServer } from "./support.mjs";

const depeche = process.argv[2];
const site = mkdtempSync(join(tmpdir(), "depeche-browser-"));
mkdirSync(join(site, "content"));
writeFileSync(join(site, "depeche.toml"), 'title = "Browser test"\nlanguage = "en"\n');
const brief = (body, extra = "") =>
  `---\ntitle: Live brief\ndate: 2024-05-06\nsources:\n  - name: AFP\n    url: https://afp.example.org/\n${extra}---\n${body}\n`;
writeFileSync(join(site, "content", "live.md"), brief("The first version."));

let passed = 0;
function check(condition, what) {
  if (!condition) {
    console.error(`FAIL: ${what}`);
    console.log(`browser: ${passed} passed, 1 failed`);
    process.exit(1);
  }
  passed += 1;
}

const { server, url } = await startServer(depeche, site, "inherit");
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  let navigations = 0;
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  await page.goto(`${url}/2024/05/live/`);
  check((await page.textContent(".brief-body")).includes("The first version."), "the page is served");

  // An edit on disk reaches the open page by itself.
  writeFileSync(join(site, "content", "live.md"), brief("The second version, saved while the page was open."));
  await page.waitForFunction(() => document.querySelector(".brief-body")?.textContent.includes("The second version"), null, { timeout: 15000 });
  check(navigations >= 2, "the page reloaded itself");

  // A broken brief shows the overlay over the last good page…
  writeFileSync(join(site, "content", "live.md"), brief("Broken.", "sorces: []\n"));
  await page.waitForSelector("#depeche-overlay", { state: "visible", timeout: 15000 });
  const overlay = await page.textContent("#depeche-overlay");
  check(overlay.includes("unknown key `sorces`"), "the overlay names the error");
  check(overlay.includes("content/live.md:7:1"), "the overlay gives file, line and column");
  check((await page.textContent(".brief-body")).includes("The second version"), "the last good page stays underneath");

  // …and fixing it removes the overlay.
  writeFileSync(join(site, "content", "live.md"), brief("The fixed version."));
  await page.waitForSelector("#depeche-overlay", { state: "detached", timeout: 15000 });
  await page.waitForFunction(() => document.querySelector(".brief-body")?.textContent.includes("The fixed version"), null, { timeout: 15000 });
  check(true, "the overlay leaves once the brief is fixed");
} finally {
  await browser.close();
}
// Ctrl-C stops the server cleanly.
const exited = new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));
server.kill("SIGINT");
const { code } = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve({ code: "timeout" }), 10000))]);
check(code === 0, `depeche serve exits with status 0 on Ctrl-C (got ${code})`);
console.log(`browser: ${passed} passed, 0 failed`);
