import { expect } from "@playwright/test";
import { expectNoAxeViolations, hydrated, openFacets, watchForErrors, test } from "./helpers";


test("home page shows counts, entry points and latest policies", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "芜湖市政策文件库" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "按主题查找" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "按服务对象查找" })).toBeVisible();
  await hydrated(page);
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});

test("search, filter by two facets, open a document and read its interpretation", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("搜索政策").fill("高校毕业生 就业");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/library\?q=/);
  const total = page.locator("#result-total");
  await expect(total).not.toHaveText("0");

  const panel = await openFacets(page);
  await panel.locator("[data-facet=audience]").getByRole("link", { name: /高校毕业生/ }).click();
  await expect(page).toHaveURL(/audience=/);
  const chips = page.getByRole("list", { name: "已选条件" }).getByRole("listitem");
  await expect(chips).toHaveCount(1);
  // A filter is a link: the page loads afresh, with the panel folded again on a phone.
  await openFacets(page);
  await panel.locator("[data-facet=validity]").getByRole("link", { name: /现行有效/ }).click();
  await expect(page).toHaveURL(/validity=/);
  await expect(chips).toHaveCount(2);
  await expectNoAxeViolations(page);

  // Open the first result that carries interpretations.
  const links = page.locator("#results li > a");
  const count = await links.count();
  expect(count).toBeGreaterThan(0);
  let found = false;
  for (let i = 0; i < count && !found; i++) {
    await links.nth(i).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    if (await page.locator("#interpretation-list").count()) {
      found = true;
    } else {
      await page.goBack();
    }
  }
  expect(found).toBe(true);
  const interpretation = page.locator("#interpretation-list details").first();
  await interpretation.locator("summary").click();
  await expect(interpretation.getByText("主要内容").or(interpretation.getByText("图解要点")).first()).toBeVisible();
  await expect(page.getByText("发文字号")).toBeVisible();
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});

test("an abolished document says so at the top, says why, and links its replacement", async ({ page, request }) => {
  // An abolished document whose replacement is in force (other tests abolish documents
  // without one, and a replacement may itself have given way since).
  const abolished = (await (await request.get("/api/v1/search?validity=" + encodeURIComponent("废止"))).json()).hits;
  let id: string | undefined;
  for (const hit of abolished) {
    const doc = await (await request.get(`/api/v1/documents/${hit.id}`)).json();
    if (!doc.replaced_by) continue;
    const by = await (await request.get(`/api/v1/documents/${doc.replaced_by.id}`)).json();
    if (by.validity === "现行有效") {
      id = hit.id;
      break;
    }
  }
  expect(id).toBeDefined();
  await page.goto(`/documents/${id}`);
  const banner = page.locator("#validity-banner");
  await expect(banner).toContainText("本文件已废止");
  await expect(banner).toContainText("原因：");
  await expect(banner.getByRole("link")).toBeVisible();
  await expectNoAxeViolations(page);
  await banner.getByRole("link").click();
  await expect(page.locator("#validity-banner")).toHaveCount(0);
});

test("with JavaScript off a visitor searches, filters, turns the page and reads a document", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByLabel("搜索政策").fill("补贴");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/library\?q=/);
  const total = Number(await page.locator("#result-total").textContent());
  expect(total).toBeGreaterThan(0);
  await page.getByRole("navigation", { name: "分页" }).getByRole("link", { name: "下一页" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/第 2 \/ \d+ 页/)).toBeVisible();
  const panel = await openFacets(page);
  await panel.locator("[data-facet=validity]").getByRole("link", { name: /现行有效/ }).click();
  await expect(page).toHaveURL(/validity=/);
  await expect(page.getByRole("list", { name: "已选条件" }).getByRole("listitem")).toHaveCount(1);
  const filtered = Number(await page.locator("#result-total").textContent());
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThanOrEqual(total);
  await page.locator("#results li > a").first().click();
  await expect(page).toHaveURL(/\/documents\//);
  await expect(page.getByText("发文字号")).toBeVisible();
  await context.close();
});

test("with JavaScript off a refused form says what to fix, and the corrected one signs the visitor in", async ({ browser }) => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    locale: "zh-CN",
    // A visitor of its own for the per-address registration limit.
    extraHTTPHeaders: { "x-forwarded-for": `10.249.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
  });
  const page = await context.newPage();
  await page.goto("/register?next=%2Fme");
  await page.getByLabel("手机号或电子邮箱").fill("12345");
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page.getByRole("alert")).toContainText("11 位手机号");
  await page.getByLabel("手机号或电子邮箱").fill(`137${String(Date.now()).slice(-8)}`);
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { level: 1, name: "个人中心" })).toBeVisible();
  await context.close();
});

test("with script on, a refused form keeps what was typed", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("手机号或电子邮箱").fill("12345");
  await page.getByLabel("称呼（选填）").fill("王女士");
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page.getByRole("alert")).toContainText("11 位手机号");
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByLabel("称呼（选填）")).toHaveValue("王女士");
  await expect(page.getByLabel("手机号或电子邮箱")).toHaveValue("12345");
  await expectNoAxeViolations(page);
});

test("a document number in another bracket style finds the document", async ({ page, request }) => {
  const api = await request.get("/api/v1/search?type=" + encodeURIComponent("政府规章"));
  const hit = (await api.json()).hits[0];
  const typed = hit.doc_number.replace("〔", "[").replace("〕", "]");
  await page.goto("/library?q=" + encodeURIComponent(typed));
  await expect(page.getByText("按文号精确匹配")).toBeVisible();
  await expect(page.getByRole("link", { name: hit.title }).first()).toBeVisible();
});

test("an unknown document is a real 404 page", async ({ page }) => {
  const res = await page.goto("/documents/no-such-document");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("a junk query gets a helpful page, not an error", async ({ page }) => {
  const res = await page.goto("/library?q=" + encodeURIComponent("？？！！"));
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("status").filter({ hasText: "没有可检索的文字" })).toBeVisible();
});

test("the units page groups the city's units and each unit has its own section", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/units");
  await hydrated(page);
  for (const level of ["市本级", "市直部门", "县市区"]) {
    await expect(page.getByRole("heading", { level: 2, name: level })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "芜湖市人力资源和社会保障局" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "芜湖市人力资源和社会保障局" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /政策文件（\d+）/ })).toBeVisible();
  await hydrated(page);
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "全部文件" }).click();
  await expect(page).toHaveURL(/\/library\?issuer=/);
  expect(errors).toEqual([]);
});
