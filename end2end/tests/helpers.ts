import { test as base, expect, type Page } from "@playwright/test";

/**
 * Each test's page is a visitor of its own: the end-to-end server trusts loopback as its
 * reverse proxy (ZHENGCE_TRUSTED_PROXIES), and this names a distinct client address in
 * X-Forwarded-For, as the city's proxy would for different people. Per-address limits
 * (ten registrations an hour) then apply per test, as they would per person.
 */
export const test = base.extend({
  page: async ({ page }, use, testInfo) => {
    let h = 0;
    for (const c of `${testInfo.project.name}/${testInfo.testId}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}` });
    await use(page);
  },
});
import AxeBuilder from "@axe-core/playwright";

/** axe-core finds no accessibility violations on the page as it stands. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** Collects console errors and uncaught exceptions, to assert there were none; errors a
 * test provokes on purpose are named by their text in `expected` and left out. */
export function watchForErrors(page: Page, expected: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !expected.some((e) => e.test(m.text()))) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Waits until the browser has taken the page over. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
}

// The admin the test command seeds (ZHENGCE_ADMIN_LOGIN / ZHENGCE_ADMIN_PASSWORD).
export const ADMIN = { login: "admin@wuhu.gov.cn", password: "admin12345" };

/** A mobile number no earlier run used. */
export function freshMobile(): string {
  return `139${String(Date.now()).slice(-8)}`;
}

/** Signs in on the login page and waits to land on `next`. */
export async function signIn(page: Page, login: string, password: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel("手机号或电子邮箱").fill(login);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, "\\?")));
}

/** Registers a fresh citizen and waits to land on `next`. */
export async function registerCitizen(page: Page, next: string): Promise<string> {
  const mobile = freshMobile();
  await page.goto(`/register?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel("手机号或电子邮箱").fill(mobile);
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page.getByRole("link", { name: /个人中心/ })).toBeVisible();
  return mobile;
}

/** The facet panel is folded on phones: unfold it when its toggle is showing. */
export async function openFacets(page: Page) {
  const panel = page.getByRole("complementary", { name: "筛选条件" });
  const toggle = panel.getByText("筛选", { exact: true });
  if (await toggle.isVisible()) {
    const open = await panel.locator("details").evaluate((d) => (d as HTMLDetailsElement).open);
    if (!open) await toggle.click();
  }
  return panel;
}

/** The header's sections fold into a menu on phones: open it when its toggle is showing. */
export async function openMenu(page: Page) {
  const toggle = page.locator("details.site-menu > summary");
  if (await toggle.isVisible()) {
    const open = await page.locator("details.site-menu").evaluate((d) => (d as HTMLDetailsElement).open);
    if (!open) await toggle.click();
  }
}

/** Folds the header's menu again on phones (open, it covers the top of the page). */
export async function closeMenu(page: Page) {
  const menu = page.locator("details.site-menu");
  const toggle = menu.locator("> summary");
  if ((await toggle.isVisible()) && (await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await toggle.click();
}

/** Signs out through the header's button and waits for the signed-out header. */
export async function signOut(page: Page) {
  await openMenu(page);
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
}

/** The demo's review desk of 人社局 (password for all: demo12345). */
export const DESK = {
  drafter: "rsj-drafter@demo.wuhu.gov.cn",
  reviewers: ["rsj-l1@demo.wuhu.gov.cn", "rsj-l2@demo.wuhu.gov.cn", "rsj-l3@demo.wuhu.gov.cn"],
  password: "demo12345",
};
export const LEVELS = ["初审", "复审", "终审"];

/** The demo's desk of 市政府办公室: city-level, so its normative documents need two forms
 * of interpretation; its 终审 is held by the openness office. */
export const CITY_DESK = {
  drafter: "szfb-drafter@demo.wuhu.gov.cn",
  reviewers: ["szfb-l1@demo.wuhu.gov.cn", "szfb-l2@demo.wuhu.gov.cn", "szfb-l3@demo.wuhu.gov.cn"],
  password: "demo12345",
};

let clients = 0;

/** Someone signed in over plain HTTP (no browser), calling server functions as forms. */
export async function apiSession(login: string, password: string) {
  const { request } = await import("@playwright/test");
  const baseURL = "http://127.0.0.1:3000";
  clients += 1;
  const ctx = await request.newContext({
    baseURL,
    extraHTTPHeaders: {
      origin: baseURL,
      "x-forwarded-for": `10.250.${Math.floor(Math.random() * 250)}.${clients % 250}`,
    },
  });
  const call = async (endpoint: string, form: Record<string, string>) => {
    const res = await ctx.post(`/api/${endpoint}`, { form, maxRedirects: 0 });
    const body = await res.text();
    expect(res.status(), `${endpoint}: ${body}`).toBeLessThan(400);
    return body;
  };
  await call("account/sign-in", { login, password, next: "/" });
  return { call, dispose: () => ctx.dispose() };
}

/** 人社局's demo desk drafts, submits and approves at all three levels a document on
 * 就业创业 for 高校毕业生: it is published, as staff do it, over HTTP. */
export async function publishThroughReview(title: string, body: string) {
  const drafter = await apiSession(DESK.drafter, DESK.password);
  const id = JSON.parse(
    await drafter.call("review/create", {
      "form[title]": title,
      "form[doc_type]": "行政规范性文件",
      "form[topic]": "就业创业",
      "form[audience]": "高校毕业生",
      "form[body]": body,
    }),
  ) as string;
  await drafter.call("review/submit", { id });
  await drafter.dispose();
  for (const [n, login] of DESK.reviewers.entries()) {
    const reviewer = await apiSession(login, DESK.password);
    await reviewer.call("review/decide", {
      id,
      "form[level]": LEVELS[n],
      "form[decision]": "approve",
      "form[comment]": "",
      "form[acknowledged]": "on",
    });
    await reviewer.dispose();
  }
  return id;
}
