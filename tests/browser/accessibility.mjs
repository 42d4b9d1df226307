// axe-core, run in Debian's headless Chromium, on the built sample site served by
// `depeche serve`: no violations on the home page, a brief, a corrected brief, a brief
// with a credited body image, a tag page, an author's page, the corrections, the
// archives and a month of them, and the 404 page, in light and in dark mode.
//
//   node tests/browser/accessibility.mjs PATH/TO/depeche SITE
//
// Needs playwright-core and axe-core (npm) in PLAYWRIGHT_DIR. Prints "axe: N passed, 0 failed".
import { launchChromium, require, startServer } from "./support.mjs";

const axePath = require.resolve("axe-core/axe.min.js");

const [depeche, site] = process.argv.slice(2);
const pages = [
  "/",
  "/2022/06/ukraine-candidate/",
  "/2025/10/windows-10-end-of-support/",
  "/2025/10/windows-10-analysis/",
  "/tags/europe/",
  "/authors/claire-dubois/",
  "/corrections/",
  "/archives/",
  "/2025/10/",
  "/no/such/page/",
];

const { server, url } = await startServer(depeche, site);
const browser = await launchChromium();
let passed = 0;
let failed = 0;
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(url + path);
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      if (results.violations.length === 0) {
        passed += 1;
      } else {
        failed += 1;
        for (const violation of results.violations) {
          console.error(`${path} (${scheme}): ${violation.id}: ${violation.help}`);
          for (const node of violation.nodes.slice(0, 3)) console.error(`  ${node.target.join(" ")}: ${node.failureSummary}`);
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.kill("SIGINT");
}
console.log(`axe: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
