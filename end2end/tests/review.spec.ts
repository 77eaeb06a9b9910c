import { expect } from "@playwright/test";
import type { Browser, Page } from "@playwright/test";
import {
  CITY_DESK as DESK,
  closeMenu,
  expectNoAxeViolations,
  hydrated,
  openMenu,
  registerCitizen,
  signIn,
  test,
  watchForErrors,
} from "./helpers";

/** A person of the demo's 市政府办公室 desk, signed in in a browser of their own on `next`. */
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

/** Saves the draft's edit form and waits for the server to have it. */
async function save(page: Page) {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/review/update") && r.status() < 400),
    page.getByRole("button", { name: "保存修改" }).click(),
  ]);
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

test("a city-level normative document with two interpretations and its official text is refused for a mobile number, returned, revised, approved at three levels, arrives live, and is later abolished through review with the reason told to its subscriber", async ({
  page,
  browser,
}, testInfo) => {
  // The whole life of a document, from draft to abolition, in five browsers: longer than
  // the default minute under a loaded machine.
  test.setTimeout(180_000);
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
  // (a city-level 行政规范性文件: the type the form starts with)
  const phone = "第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：13912345678。";
  await drafter.page.getByLabel("标题", { exact: true }).fill(title);
  await drafter.page.getByLabel("文件主题").fill("就业创业");
  await drafter.page.getByLabel("服务对象").fill("高校毕业生");
  await drafter.page.getByLabel("正文", { exact: true }).fill(phone);
  await drafter.page.getByRole("button", { name: "保存草稿" }).click();
  await expect(drafter.page).toHaveURL(/\/staff\/drafts\/df-/);
  const url = new URL(drafter.page.url()).pathname;
  await hydrated(drafter.page);
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("草稿");

  // The official text (a PDF) and an image for the 图解, told by their content.
  await drafter.page.getByLabel(/上传附件/).setInputFiles({
    name: "正式文本.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
  });
  await drafter.page.getByLabel("设为正式文本（下载版）").check();
  await drafter.page.getByRole("button", { name: "上传", exact: true }).click();
  await expect(drafter.page.locator("[data-file='正式文本.pdf']")).toContainText("正式文本");
  await hydrated(drafter.page);
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  await drafter.page.getByLabel(/上传附件/).setInputFiles({ name: "一图读懂.png", mimeType: "image/png", buffer: png });
  await drafter.page.getByRole("button", { name: "上传", exact: true }).click();
  await expect(drafter.page.locator("[data-file='一图读懂.png']")).toBeVisible();
  await hydrated(drafter.page);

  // A 文字解读 first.
  await drafter.page.getByLabel("解读形式").selectOption("文字解读");
  await drafter.page.getByLabel("解读标题").fill("《募集办法》政策解读");
  await drafter.page.getByLabel(/解读正文/).fill("一、出台背景：为拓宽青年就业见习渠道，制定本办法。二、主要内容：明确岗位募集、补贴标准和管理要求。");
  await drafter.page.getByRole("button", { name: "添加解读" }).click();
  await expect(drafter.page.locator("[data-interpretation='文字解读']")).toBeVisible();

  // Submitting is refused with the number's position; nothing moves.
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  const at = [...phone].indexOf("1", phone.indexOf("：")) + 1;
  await expect(drafter.page.getByRole("alert")).toContainText(`第 ${at} 个字起有疑似手机号（139****5678）`);
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByLabel("正文", { exact: true }).fill("第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：0553-12333。");
  await save(drafter.page);

  // With one form of interpretation it is refused again: a city-level normative document needs two.
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  await expect(drafter.page.getByRole("alert")).toContainText("至少两种形式的解读");
  await drafter.page.getByLabel("解读形式").selectOption("图解");
  await drafter.page.getByLabel("解读标题").fill("一图读懂青年就业见习");
  await drafter.page.getByLabel(/图片或视频/).selectOption({ label: "一图读懂.png" });
  await drafter.page.getByLabel(/图片的文字说明/).fill("青年就业见习岗位募集流程：单位申报、审核、公布岗位");
  await drafter.page.getByRole("button", { name: "添加解读" }).click();
  await expect(drafter.page.locator("[data-interpretation='图解'] img")).toHaveAttribute("alt", /募集流程/);
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("待初审");

  // 初审 finds it in the queue (counted in the header) and returns it with a comment.
  const first = await deskMember(browser, DESK.reviewers[0], "/staff/review", project);
  await openMenu(first.page);
  await expect(first.page.locator("#review-badge")).toBeVisible();
  await closeMenu(first.page);
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
    .getByLabel("正文", { exact: true })
    .fill("第一条 为募集青年就业见习岗位，制定本办法。\n第二条 咨询电话：0553-12333。\n第三条 本办法自2027年1月1日起施行。");
  await save(drafter.page);
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

  // The subscriber sees it arrive without a reload, with its interpretations and download version.
  await expect(page.locator("#feed").getByRole("link", { name: title })).toBeVisible();
  await page.locator("#feed").getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator("#interpretation-list")).toContainText("一图读懂青年就业见习");
  await expect(page.locator("#interpretation-list")).toContainText("《募集办法》政策解读");
  await expect(page.locator("#official-text")).toHaveAttribute("href", /\/files\/[0-9a-f]{64}\//);
  await hydrated(page);
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "打印版" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
  await expectNoAxeViolations(page);
  await last.page.locator("#published-link").click();
  await expect(last.page).toHaveURL(/\/documents\/zc-/);
  await expect(last.page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const documentUrl = new URL(last.page.url()).pathname;

  // Later the unit abolishes it, through the same three levels, saying why.
  await page.goto("/me");
  await hydrated(page);
  await drafter.page.goto(documentUrl);
  await hydrated(drafter.page);
  await expect(drafter.page.getByRole("heading", { name: "本单位文件管理" })).toBeVisible();
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByLabel(/^效力变更/).check();
  await drafter.page.getByRole("button", { name: "发起变更" }).click();
  await expect(drafter.page).toHaveURL(/\/staff\/drafts\/df-/);
  const changeUrl = new URL(drafter.page.url()).pathname;
  await hydrated(drafter.page);
  await expect(drafter.page.locator("[data-kind]").first()).toHaveText("效力变更");
  await drafter.page.getByLabel("变更后有效性").selectOption("废止");
  await drafter.page.getByLabel("生效日期").fill("2027-06-30");
  const reason = "岗位募集改由《芜湖市青年就业见习管理办法》统一规定";
  await drafter.page.getByLabel(/变更原因/).fill(reason);
  await drafter.page.getByRole("button", { name: "保存效力变更内容" }).click();
  await expect(drafter.page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await expectNoAxeViolations(drafter.page);
  await drafter.page.getByRole("button", { name: "提交审核" }).click();
  await expect(drafter.page.locator("[data-stage]").first()).toHaveText("待初审");
  for (const [member, next] of [
    [first, "待复审"],
    [second, "待终审"],
    [last, "已发布"],
  ] as const) {
    await member.page.goto(changeUrl);
    await expect(member.page.locator("#change-summary")).toContainText(reason);
    await decide(member.page);
    await expect(member.page.locator("[data-stage]").first()).toHaveText(next);
  }

  // The subscriber is told, live, with the reason; the page says it too.
  await expect(page.locator("#feed")).toContainText(reason);
  await expect(page.locator("#feed")).toContainText("废止");
  await page.goto(documentUrl);
  await expect(page.locator("#validity-banner")).toContainText(`原因：${reason}`);
  await expect(page.locator("#document-history")).toContainText("2027-06-30");
  await expect(page.getByRole("heading", { name: "本单位文件管理" })).toHaveCount(0);
  await hydrated(page);
  await expectNoAxeViolations(page);

  for (const member of [drafter, first, second, last]) {
    expect(member.errors).toEqual([]);
    await member.close();
  }
  expect(errors).toEqual([]);
});
