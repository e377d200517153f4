// Takes the README screenshots of the app served at a URL (default: the serve command's):
// docs/screenshot.png (the first screen), docs/screenshot-running.png (the default
// manifest applied, requests sent, `kubectl get po,sts,svc,pvc` in the terminal),
// docs/screenshot-rollout.png (a partitioned rolling update: partition 2, new image,
// the marker between web-1 and web-2) and docs/screenshot-lesson.png (a lesson open).
// Usage: node scripts/screenshot.mjs [URL]
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:8080/'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(url);
await page.getByTestId('app').waitFor();
await page.screenshot({ path: 'docs/screenshot.png' });

await page.getByTestId('speed').selectOption('20000');
await page.getByTestId('apply').click();
await page.getByTestId('statefulset').filter({ hasText: 'READY 3/3' }).waitFor({ timeout: 30_000 });
await page.getByTestId('speed').selectOption('1000');
const send = page.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('send-requests');
await send.click();
await send.click();
const input = page.getByTestId('terminal-input');
await input.fill('kubectl get po,sts,svc,pvc');
await input.press('Enter');
await page.screenshot({ path: 'docs/screenshot-running.png' });

await page.getByTestId('speed').selectOption('20000');
await page.getByTestId('partition').fill('2');
await page.getByTestId('partition').dispatchEvent('change');
await page.getByTestId('image').selectOption('ghcr.io/example/visits:1.1');
await page.locator('[data-pod="web-2"] .rev-new').waitFor({ timeout: 30_000 });
await page.locator('[data-pod="web-2"] [data-testid="pod-status"]', { hasText: 'Running' }).waitFor({ timeout: 30_000 });
await page.getByTestId('play-pause').click();
await page.screenshot({ path: 'docs/screenshot-rollout.png' });

await page.goto(`${url.split('#')[0]}#lesson=stuck-rollout`);
await page.getByTestId('lesson-step').first().waitFor();
await page.screenshot({ path: 'docs/screenshot-lesson.png' });
await browser.close();
console.log('wrote docs/screenshot.png, screenshot-running.png, screenshot-rollout.png and screenshot-lesson.png');
