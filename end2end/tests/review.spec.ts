import { expect } from "@playwright/test";
import type { Browser, Page } from "@playwright/test";
import {
  DESK,
  expectNoAxeViolations,
  hydrated,
  registerCitizen,
  signIn,
  test,
  watchForErrors,
} from "./helpers";

/** A person of the demo's 人社局 desk, signed in in a browser of their own on `next`. */
async function deskMember(browser: Browser, login: string, next: string, project: string) {
  const context = await browser.newContext({
    ...(project === "mobile" ? { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true } : {}),
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.251.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
  const errors = watchForErrors(page, [/status of 4\d\d/]);
  await signIn(page, login, DESK.password, next);
  await hydrated(page);
  return { page, errors, close: () => context.close() };
}

/** Approves (or returns, with `comment`) the draft open on `page` at the level it shows. */
async function decide(page: Page, comment?: string) {
  await hydrated(page);
  if (comment) {
    await page.getByLabel("退回修改").check();
    await page.getByLabel("审核意见（退回时必填）").fill(comment);
  }
  const acknowledge = page.getByLabel("已核对错敏词提示");
  if (await acknowledge.count()) await acknowledge.check();
  await page.getByRole("button", { name: "提交审核结论" }).click();
}

test("a draft is refused for a mobile number, returned by 初审, revised, approved at three levels and arrives live", async ({
  page,
  browser,
}, testInfo) => {
  const project = testInfo.project.name;
  const errors = watchForErrors(page);
  // A subscriber to 就业创业 keeps their personal center open.
  await registerCitizen(page, "/library?topic=%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A");
  await hydrated(page);
  await page.getByRole("button", { name: "订阅此搜索" }).click();
  await expect(page.getByRole("button", { name: "已订阅 ✓" })).toBeVisible();
  await page.goto("/me");
  await hydrated(page);

  // The drafter writes the document.
  const drafter = await deskMember(browser, DESK.drafter, "/staff/drafts", project);
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByRole("link", { name: "新建草稿" }).click();
  await expect(drafter.page.getByRole("heading", { level: 1, name: "新建草稿" })).toBeVisible();
  await hydrated(drafter.page);
  await expectNoAxeViolations(drafter.page);
  const title = `芜湖市青年就业见习岗位募集办法（${project}-${Date.now()}）`;
  const phone = "第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：13912345678。";
  await drafter.page.getByLabel("标题").fill(title);
  await drafter.page.getByLabel("文件主题").fill("就业创业");
  await drafter.page.getByLabel("服务对象").fill("高校毕业生");
  await drafter.page.getByLabel("正文").fill(phone);
  await drafter.page.getByRole("button", { name: "保存草稿" }).click();
  await expect(drafter.page).toHaveURL(/\/staff\/drafts\/df-/);
  const url = new URL(drafter.page.url()).pathname;
  await hydrated(drafter.page);
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("草稿");

  // Submitting is refused with the number's position; nothing moves.
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  const at = [...phone].indexOf("1", phone.indexOf("：")) + 1;
  await expect(drafter.page.getByRole("alert")).toContainText(`第 ${at} 个字起有疑似手机号（139****5678）`);
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByLabel("正文").fill("第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：0553-12333。");
  await drafter.page.getByRole("button", { name: "保存修改" }).click();
  await expect(drafter.page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("待初审");

  // 初审 finds it in the queue (counted in the header) and returns it with a comment.
  const first = await deskMember(browser, DESK.reviewers[0], "/staff/review", project);
  await expect(first.page.locator("#review-badge")).toBeVisible();
  await expectNoAxeViolations(first.page);
  await first.page.getByRole("link", { name: title }).click();
  await expect(first.page.getByRole("heading", { name: "初审（科室负责人）" })).toBeVisible();
  await expectNoAxeViolations(first.page);
  await decide(first.page, "请在第二条后写明施行日期");
  await expect(first.page.locator("[data-stage]").first()).toHaveText("退回修改");

  // The drafter sees why, revises and submits again.
  await drafter.page.reload();
  await hydrated(drafter.page);
  await expect(drafter.page.getByText("意见：请在第二条后写明施行日期")).toBeVisible();
  await drafter.page
    .getByLabel("正文")
    .fill("第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：0553-12333。\n第三条 本办法自2027年1月1日起施行。");
  await drafter.page.getByRole("button", { name: "保存修改" }).click();
  await expect(drafter.page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("待初审");

  // 初审 sees what changed and approves; 复审 and 终审 follow.
  await first.page.goto(url);
  await hydrated(first.page);
  await expect(first.page.getByRole("heading", { name: "与上次提交相比" })).toBeVisible();
  await expect(first.page.locator("[data-change=added]")).toHaveCount(1);
  await expect(first.page.locator("[data-change=added]")).toContainText("2027年1月1日");
  await expectNoAxeViolations(first.page);
  await decide(first.page);
  await expect(first.page.locator("[data-stage]").first()).toHaveText("待复审");
  const second = await deskMember(browser, DESK.reviewers[1], url, project);
  await decide(second.page);
  await expect(second.page.locator("[data-stage]").first()).toHaveText("待终审");
  const last = await deskMember(browser, DESK.reviewers[2], url, project);
  await expect(last.page.getByText("终审通过后文件立即公开")).toBeVisible();
  await decide(last.page);
  await expect(last.page.locator("[data-stage]").first()).toHaveText("已发布");
  await expectNoAxeViolations(last.page);

  // The subscriber sees it arrive without a reload.
  await expect(page.locator("#feed").getByRole("link", { name: title })).toBeVisible();
  await last.page.locator("#published-link").click();
  await expect(last.page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  for (const member of [drafter, first, second, last]) {
    expect(member.errors).toEqual([]);
    await member.close();
  }
  expect(errors).toEqual([]);
});
