import { defineConfig, devices } from "@playwright/test";

const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "../target/playwright",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./wait-for-server.ts",
  use: {
    baseURL: "http://127.0.0.1:3000",
    browserName: "chromium",
    launchOptions: chromium,
    locale: "zh-CN",
  },
  projects: [
    { name: "mobile", use: { ...devices["Pixel 7"], browserName: "chromium", launchOptions: chromium } },
    { name: "desktop", use: { viewport: { width: 1280, height: 900 }, launchOptions: chromium } },
  ],
});
