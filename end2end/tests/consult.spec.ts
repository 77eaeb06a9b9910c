import { expect } from "@playwright/test";
import {
  ADMIN,
  expectNoAxeViolations,
  hydrated,
  openFacets,
  registerCitizen,
  signIn,
  watchForErrors,
  test,
} from "./helpers";

test("a question asked from a document page is answered by its department, reaches the asker live and joins the knowledge base", async ({
  page,
  browser,
}) => {
  // The refused submission below is a 400, which the browser logs; nothing else may fail.
  const errors = watchForErrors(page, [/status of 400/]);
  const stamp = String(Date.now()).slice(-6);

  // A citizen opens a policy and asks about it.
  await registerCitizen(page, "/library");
  await page.locator("#results a").first().click();
  await expect(page).toHaveURL(/\/documents\//);
  const documentTitle = (await page.locator("h1").textContent())?.trim() ?? "";
  const issuer = (await page.locator("dt", { hasText: "发文机关" }).locator("xpath=following-sibling::dd").textContent())?.trim() ?? "";
  expect(issuer).not.toEqual("");
  await hydrated(page);
  await page.getByRole("link", { name: "咨询此政策" }).click();
  await expect(page).toHaveURL(/\/consult\/new\?document=/);
  await expect(page.locator("#ask-document")).toContainText(documentTitle);
  await hydrated(page);
  await expectNoAxeViolations(page);

  // Personal data is refused, with where it is.
  const title = `见习补贴申请材料咨询${stamp}`;
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("问题描述").fill("请问申请需要哪些材料？我的电话13812345678。");
  await page.getByRole("button", { name: "提交咨询" }).click();
  await expect(page.getByRole("alert")).toContainText("疑似手机号");
  await page.getByLabel("问题描述").fill("请问申请需要哪些材料？在哪里办理？");
  await page.getByRole("button", { name: "提交咨询" }).click();
  await expect(page).toHaveURL(/\/consultations\/\d+/);
  const consultationUrl = page.url();
  await expect(page.locator("[data-status]").first()).toHaveText("办理中");
  await expect(page.getByText(issuer).first()).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/me");
  await hydrated(page);

  // The admin adds a staff member of the issuing department.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN.login, ADMIN.password, "/admin/staff");
  await hydrated(admin);
  const staffLogin = `138${String(Date.now()).slice(-8)}`;
  await admin.getByLabel("姓名").fill("李科员");
  await admin.getByLabel("所属单位").fill(issuer);
  await admin.getByLabel("手机号或电子邮箱").fill(staffLogin);
  await admin.getByLabel("初始密码").fill("staff12345");
  await admin.getByRole("button", { name: "添加" }).click();
  await expect(admin.getByRole("status")).toContainText("已添加");
  await adminContext.close();

  // The staff member finds it in the inbox, answers and publishes it to the knowledge base.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, staffLogin, "staff12345", "/staff/inbox");
  await hydrated(staff);
  await expectNoAxeViolations(staff);
  await staff.getByRole("link", { name: title }).click();
  await expect(staff).toHaveURL(consultationUrl);
  await hydrated(staff);
  await staff.getByLabel("答复内容").fill("申请见习补贴需提供见习协议和考勤记录，可到市政务服务中心人社窗口办理。");
  await staff.getByLabel("同时发布到政策问答（需填写答复科室和电话）").check();
  await staff.getByLabel("答复科室", { exact: true }).fill("就业促进科");
  await staff.getByLabel("咨询电话", { exact: true }).fill("0553-3835212");
  await expectNoAxeViolations(staff);
  await staff.getByRole("button", { name: "提交答复" }).click();
  await expect(staff.locator("#answer")).toContainText("见习协议");
  await expect(staff.locator("#answer-qa")).toBeVisible();
  await staffContext.close();

  // The asker sees it arrive without reloading.
  const item = page.locator("[data-feed-item]").filter({ hasText: title });
  await expect(item).toBeVisible();
  await expect(item).toContainText("咨询答复");
  await expect(item).toContainText("您提交的咨询");
  await expect(page.locator("#unread-badge")).not.toHaveClass(/hidden/);
  await item.getByRole("link", { name: title }).click();
  await expect(page.locator("#answer")).toContainText("见习协议");
  await expect(page.getByRole("button", { name: "问题已解决，确认办结" })).toBeVisible();
  expect(errors).toEqual([]);

  // Anyone finds the answer by search and by department, with section and phone.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/qa?q=${encodeURIComponent(title)}`);
  await hydrated(visitor);
  await expect(visitor.locator("#qa-results li").first()).toContainText(title);
  await expectNoAxeViolations(visitor);
  await visitor.goto("/qa");
  await hydrated(visitor);
  const facets = await openFacets(visitor);
  await facets.locator("[data-facet=department]").getByRole("link", { name: new RegExp(issuer) }).click();
  await expect(visitor).toHaveURL(/department=/);
  const entry = visitor.locator("#qa-results li").filter({ hasText: title });
  await expect(entry).toContainText("就业促进科");
  await expect(entry).toContainText("0553-3835212");
  await entry.getByRole("link", { name: title }).click();
  await expect(visitor).toHaveURL(/\/qa\//);
  await expect(visitor.locator("#qa-document")).toHaveText(documentTitle);
  await hydrated(visitor);
  await expectNoAxeViolations(visitor);
  await visitor.locator("#qa-document").click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(documentTitle);
  await expect(visitor.getByRole("link", { name: `问：${title}` })).toBeVisible();
  await visitorContext.close();
});

test("the public consultation list and the admin's settings page pass the accessibility checks", async ({
  page,
}) => {
  await page.goto("/consultations");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "政策咨询" })).toBeVisible();
  await expectNoAxeViolations(page);
  await signIn(page, ADMIN.login, ADMIN.password, "/admin/consult");
  await hydrated(page);
  await expect(page.getByLabel("答复时限（工作日）")).toHaveValue(/\d+/);
  await expectNoAxeViolations(page);
  await page.getByLabel("法定节假日（每行一个日期）").fill("2027-01-01\n十月一日");
  await page.getByRole("button", { name: "保存设置" }).click();
  await expect(page.getByRole("alert")).toContainText("“十月一日”不是有效日期");
});
