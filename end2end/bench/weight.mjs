// First-visit weight of the public pages, as a phone on a fresh cache sees it: every byte
// transferred (compressed, headers included) and every request, until the page is hydrated
// and the network is quiet. Headless Debian Chromium with the Pixel 7 profile.
// Usage: node end2end/bench/weight.mjs [BASE_URL]
import { chromium, devices } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});

const api = async (path) => (await fetch(base + path)).json();
const doc = (await api("/api/v1/search")).hits[0].id;
const qa = (await api("/api/v1/qa")).hits[0]?.id;
const pages = ["/", "/library", "/library?q=" + encodeURIComponent("补贴"), `/documents/${doc}`, "/qa",
  ...(qa ? [`/qa/${qa}`] : []), "/login", "/register"];

console.log("first visit (Pixel 7, empty cache)     KB    requests  hydrated");
const rows = [];
for (const path of pages) {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let bytes = 0;
  let requests = 0;
  cdp.on("Network.requestWillBeSent", () => requests++);
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  const started = Date.now();
  await page.goto(base + path, { waitUntil: "load" });
  await page.waitForSelector("body[data-hydrated=true]", { state: "attached", timeout: 30_000 });
  const hydrated = Date.now() - started;
  await page.waitForLoadState("networkidle");
  rows.push({ path, kb: bytes / 1024, requests, hydrated });
  console.log(`${path.padEnd(38)} ${(bytes / 1024).toFixed(0).padStart(5)}  ${String(requests).padStart(8)}  ${hydrated} ms`);
  await context.close();
}
await browser.close();
const worst = rows.reduce((a, r) => (r.kb > a.kb ? r : a));
console.log(`heaviest: ${worst.path} ${worst.kb.toFixed(0)} KB in ${worst.requests} requests (goal: ≤ 250 KB in ≤ 20)`);
