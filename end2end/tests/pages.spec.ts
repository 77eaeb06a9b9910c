import { expect } from "@playwright/test";
import { expectNoAxeViolations, hydrated, openMenu, test } from "./helpers";

/** What the `<link rel=preload|modulepreload>` tags of a page's `<head>` load, in order
 * (their other attributes may carry the response's nonce). */
function preloads(html: string): string[] {
  const head = html.slice(0, html.indexOf("</head>"));
  return [...head.matchAll(/<link[^>]*rel="(?:module)?preload"[^>]*>/g)].map((m) => m[0].match(/href="([^"]*)"/)![1]);
}

test("the same page fetched 100 times, 16 at a time, carries identical preloads every time", async ({ request }) => {
  const hit = (await (await request.get("/api/v1/search")).json()).hits[0];
  for (const path of ["/", "/library?q=" + encodeURIComponent("补贴"), `/documents/${hit.id}`]) {
    // Each request names a fresh address (a query the page ignores), so every one is
    // rendered, not served from the kept copy.
    let n = 0;
    const fresh = () => `${path}${path.includes("?") ? "&" : "?"}n=${n++}`;
    const first = preloads(await (await request.get(fresh())).text());
    // The islands' code (script and wasm), each once.
    expect(first.some((l) => l.includes(".wasm"))).toBe(true);
    expect(new Set(first).size).toBe(first.length);
    const all: string[][] = [];
    for (let round = 0; round < 100 / 4; round++) {
      // 16 requests in flight: four pages of the library at once with the three under test.
      const batch = await Promise.all(
        Array.from({ length: 16 }, (_, i) => request.get(i % 4 === 0 ? fresh() : `/library?page=${(i % 7) + 1}&n=${n++}`)),
      );
      for (const [i, res] of batch.entries()) {
        if (i % 4 === 0) all.push(preloads(await res.text()));
      }
    }
    expect(all).toHaveLength(100);
    for (const got of all) expect(got).toEqual(first);
  }
});

test("on a phone the header stays one row and its menu opens without JavaScript", async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== "mobile", "the phone layout");
  const context = await browser.newContext({
    viewport: { width: 412, height: 915 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: false,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.goto("/units");
  const header = page.locator("header").first();
  const title = header.getByRole("link", { name: "芜湖市政策文件库" });
  const toggle = header.locator("details.site-menu > summary");
  const signIn = header.getByRole("link", { name: "登录" });
  // Name, sign-in and menu share one row.
  const rows = await Promise.all([title, toggle, signIn].map(async (l) => (await l.boundingBox())!.y));
  expect(Math.max(...rows) - Math.min(...rows)).toBeLessThan(12);
  await expect(header.getByRole("link", { name: "注册" })).toBeHidden();

  await openMenu(page);
  await expect(header.getByRole("link", { name: "注册" })).toBeVisible();
  await header.getByLabel("搜索政策文件").fill("就业");
  await header.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/library\?q=/);
  await expect(page.locator("#result-total")).not.toHaveText("0");
  await context.close();
});

test("the menu is open on a wide screen and closes after choosing a page on a phone", async ({ page }, testInfo) => {
  await page.goto("/units");
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "主导航" });
  if (testInfo.project.name === "desktop") {
    await expect(nav.getByRole("link", { name: "政策问答" })).toBeVisible();
    await expect(page.locator("details.site-menu > summary")).toBeHidden();
  } else {
    await expect(nav).toBeHidden();
    await openMenu(page);
    await expect(nav).toBeVisible();
    await expectNoAxeViolations(page);
    await nav.getByRole("link", { name: "政策问答" }).click();
    await expect(page).toHaveURL(/\/qa$/);
    await expect(nav).toBeHidden();
  }
});
