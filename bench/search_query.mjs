// How much of the search index one query downloads: serves a built site (python's
// http.server), opens its search page in Debian's headless Chromium with the query in
// the address, waits for the results, and adds up the bytes fetched under /pagefind/
// (the interface's own files counted apart from the index).
//
//   PLAYWRIGHT_DIR=… node bench/search_query.mjs PUBLIC_DIR "words" [SEARCH_PATH]
import { spawn } from "node:child_process";
import { launchChromium } from "../tests/browser/support.mjs";

const [publicDir, words, searchPath = "/search/"] = process.argv.slice(2);
const port = 8000 + Math.floor(Math.random() * 1000);
const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", publicDir], {
  stdio: "ignore",
});
await new Promise((resolve) => setTimeout(resolve, 800));
const browser = await launchChromium();
const sizes = { index: 0, program: 0, files: 0 };
// The index's part by kind of file: the shards' entry and metadata, filters, word chunks,
// and the fragments of the results shown.
const parts = { entry: 0, meta: 0, filter: 0, words: 0, fragment: 0 };
try {
  const page = await browser.newPage();
  page.on("response", async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.includes("/pagefind/")) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    const program = /\.(js|css)$|wasm\./.test(url.pathname);
    sizes[program ? "program" : "index"] += body.length;
    if (!program) {
      const part = /\/fragment\//.test(url.pathname) ? "fragment" : /\/filter\//.test(url.pathname) ? "filter"
        : /\/index\//.test(url.pathname) ? "words" : /pf_meta$/.test(url.pathname) ? "meta" : "entry";
      parts[part] += body.length;
    }
    sizes.files += 1;
  });
  await page.goto(`http://127.0.0.1:${port}${searchPath}?q=${encodeURIComponent(words)}`);
  await page.locator(".pagefind-ui__result-link").first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(1000);
  const results = await page.locator(".pagefind-ui__message").innerText();
  const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
  const detail = Object.entries(parts).map(([part, bytes]) => `${part} ${kib(bytes)}`).join(", ");
  console.log(`query "${words}" on ${searchPath}: ${results}; index ${kib(sizes.index)} (${detail}), Pagefind's program ${kib(sizes.program)}, ${sizes.files} files`);
} finally {
  await browser.close();
  server.kill();
}
