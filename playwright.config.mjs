// End-to-end tests drive the built dist/ in Debian's headless Chromium.
// Never `npx playwright install`: browser downloads fail on our machines.
import { defineConfig } from '@playwright/test';

const PORT = 4173;
export const BASE_PATH = '/sts-playground/';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    // dist/ served under a sub-path, as GitHub Pages serves a project page.
    command: `node tests/e2e/serve-dist.mjs dist ${PORT} ${BASE_PATH}`,
    url: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    reuseExistingServer: false,
    timeout: 10_000,
  },
});
