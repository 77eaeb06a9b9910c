import { expect } from "@playwright/test";
import {
  ADMIN,
  expectNoAxeViolations,
  freshMobile,
  publishThroughReview,
  hydrated,
  registerCitizen,
  signIn,
  signOut,
  watchForErrors,
  test,
} from "./helpers";

/** 人社局 publishes a document on 就业创业 through the three-level review. */
async function publishAsStaff(title: string) {
  await publishThroughReview(title, "第一条 为促进高校毕业生就业见习，制定本细则。");
}

test("signed-out visitors asking for the personal center sign in and come back", async ({ page }) => {
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?next=%2Fme/);
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await hydrated(page);
  await expectNoAxeViolations(page);
  await page.goto("/register");
  await hydrated(page);
  await expectNoAxeViolations(page);
});

test("a bad registration says what to fix, in Chinese", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("手机号或电子邮箱").fill("12345");
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page.getByRole("alert")).toContainText("11 位手机号");
});

test("a subscriber sees a matching publish arrive live, keeps it after reload and marks it read", async ({
  page,
}) => {
  const errors = watchForErrors(page);
  await page.goto("/register?next=%2Flibrary%3Ftopic%3D%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A");
  await hydrated(page);
  await page.getByLabel("手机号或电子邮箱").fill(freshMobile());
  await page.getByLabel("密码", { exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page).toHaveURL(/\/library\?topic=/);
  await expect(page.getByRole("link", { name: /个人中心/ })).toBeVisible();

  // One click turns the filtered view into a subscription.
  await hydrated(page);
  await page.getByRole("button", { name: "订阅此搜索" }).click();
  await expect(page.getByRole("button", { name: "已订阅 ✓" })).toBeVisible();
  await page.goto("/me");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "个人中心" })).toBeVisible();

  // Meanwhile, in another browser, staff publish a matching document.
  const title = `芜湖市高校毕业生见习补贴实施细则（${Date.now()}）`;
  await publishAsStaff(title);

  // The subscriber's page shows it without a reload, with the badge.
  const feed = page.locator("#feed");
  await expect(feed.getByRole("link", { name: title })).toBeVisible();
  await expect(page.locator("#unread-badge")).toContainText("1");
  await expect(feed.locator("[data-feed-item]").filter({ hasText: title })).toContainText(
    "因为您订阅了：就业创业",
  );

  await page.reload();
  await hydrated(page);
  const item = page.locator("[data-feed-item]").filter({ hasText: title });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute("data-read", "false");
  await item.getByRole("button", { name: "标为已读" }).click();
  await expect(item).toHaveAttribute("data-read", "true");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "我的账号" }).click();
  await expect(page.getByRole("heading", { name: "我的账号" })).toBeVisible();
  await expect(page.getByText("市民")).toBeVisible();
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});

test("after one person signs out, the next on the same tab sees only their own feed and badge", async ({
  page,
  browser,
}) => {
  const errors = watchForErrors(page);
  // The first person subscribes to 就业创业, and keeps a second device open on their feed.
  const first = await registerCitizen(page, "/library?topic=%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A");
  await hydrated(page);
  await page.getByRole("button", { name: "订阅此搜索" }).click();
  await expect(page.getByRole("button", { name: "已订阅 ✓" })).toBeVisible();
  await page.goto("/me");
  await hydrated(page);
  const otherContext = await browser.newContext();
  const otherDevice = await otherContext.newPage();
  await signIn(otherDevice, first, "abc12345", "/me");
  await hydrated(otherDevice);

  // They sign out; the next person signs in on the same tab.
  await signOut(page);
  await registerCitizen(page, "/me");
  await expect(page).toHaveURL(/\/me$/);
  await hydrated(page);
  await expectNoAxeViolations(page);

  const title = `只推送给第一位订阅者的文件（${Date.now()}）`;
  await publishAsStaff(title);
  // It reached the first person live on their other device ...
  await expect(otherDevice.locator("#feed").getByRole("link", { name: title })).toBeVisible();
  await otherContext.close();
  // ... and shows nowhere on the second person's page: not in the feed, not in the badge.
  await expect(page.getByText(title)).toHaveCount(0);
  await expect(page.locator("#unread-badge")).toBeHidden();
  await page.reload();
  await hydrated(page);
  await expect(page.getByText(title)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("every personal, staff and admin page, the 403 and 404 pages pass axe", async ({ page, browser }) => {
  const errors = watchForErrors(page, [/status of 40[34]/]);
  await registerCitizen(page, "/me/subscriptions");
  for (const path of ["/me/subscriptions", "/me/consultations", "/me/account", "/library/abolished"]) {
    await page.goto(path);
    await hydrated(page);
    await expectNoAxeViolations(page);
  }
  // A citizen on an admin page: a real 403 page, in Chinese.
  const forbidden = await page.goto("/admin/outbox");
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "无权访问" })).toBeVisible();
  await expectNoAxeViolations(page);
  const missing = await page.goto("/documents/no-such-document");
  expect(missing?.status()).toBe(404);
  await hydrated(page);
  await expectNoAxeViolations(page);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const adminErrors = watchForErrors(admin);
  await signIn(admin, ADMIN.login, ADMIN.password, "/admin/staff");
  const entries = await (await admin.request.get("/api/v1/qa")).json();
  const entry = entries.hits[0].id as string;
  for (const path of [
    "/admin/staff",
    "/admin/consult",
    "/admin/outbox",
    "/admin/audit",
    "/admin/lexicon",
    "/staff/inbox",
    "/staff/qa/new",
    `/staff/qa/${entry}/edit`,
  ]) {
    await admin.goto(path);
    await hydrated(admin);
    await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoAxeViolations(admin);
  }
  await expect(admin.getByLabel(/问题/).first()).not.toHaveValue("");
  await adminContext.close();
  expect(errors).toEqual([]);
  expect(adminErrors).toEqual([]);
});
