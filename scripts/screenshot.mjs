// Takes docs/screenshot.png of the app served at a URL (default: the serve command's).
// Usage: node scripts/screenshot.mjs [URL] [OUT]
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:8080/', out = 'docs/screenshot.png'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(url);
await page.getByTestId('app').waitFor();
await page.screenshot({ path: out });
await browser.close();
console.log(`wrote ${out}`);
