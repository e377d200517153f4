// Performance figures of the built page in headless Chromium (a benchmark that
// prints numbers, not a test that passes or fails):
//   - first load to interactive: navigation start → the editor holds the manifest;
//   - editor diagnostics for a 200-line manifest: one keystroke → the summary line updated;
//   - frame times with 100 pods while 50 requests/s arrive (5 × "Send 10 requests" per
//     second) and the clock runs at 1×: p50 / p95 / max over 5 s of requestAnimationFrame.
// Usage: scripts/build.sh && node scripts/perf.mjs   (serves dist/ itself on port 4174)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';

const PORT = 4174;
const BASE = '/sts-playground/';
const server = spawn('node', ['tests/e2e/serve-dist.mjs', 'dist', String(PORT), BASE], { stdio: 'ignore' });
await new Promise((resolve) => setTimeout(resolve, 500));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const url = `http://127.0.0.1:${PORT}${BASE}`;
const figures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(url);
  await page.getByTestId('manifest-editor').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="manifest-editor"]')?.value.includes('StatefulSet'));
  const load = await page.evaluate(() => performance.now());
  figures.push(`first load to interactive: ${load.toFixed(0)} ms (goal < 1000)`);

  // A 200-line manifest: the default one plus env entries.
  const editor = page.getByTestId('manifest-editor');
  const base = await editor.inputValue();
  const env = Array.from({ length: 76 }, (_, i) => `            - name: EXTRA_${i}\n              value: "${i}"`).join('\n');
  const big = base.replace('          env:\n', `          env:\n${env}\n`);
  await editor.fill(big);
  const lines = big.split('\n').length;
  const diagnostics = await page.evaluate(async () => {
    const area = document.querySelector('[data-testid="manifest-editor"]');
    const summary = document.querySelector('[data-testid="diagnostics"]');
    const before = summary.textContent;
    const start = performance.now();
    // A typo that breaks the YAML: the summary turns into the parse error.
    area.value = area.value.replace('kind: StatefulSet', 'kind: StatefulSet: x');
    area.dispatchEvent(new Event('input', { bubbles: true }));
    while (summary.textContent === before && performance.now() - start < 2000) await new Promise((r) => setTimeout(r, 0));
    return performance.now() - start;
  });
  figures.push(`editor diagnostics, ${lines}-line manifest: ${diagnostics.toFixed(1)} ms (goal ≤ 16)`);

  // 100 pods, Parallel, then steady traffic.
  await editor.fill('');
  await editor.fill(base.replace('replicas: 3', 'replicas: 100').replace('  serviceName: visits', '  podManagementPolicy: Parallel\n  serviceName: visits'));
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await page.getByTestId('statefulset').filter({ hasText: 'READY 100/100' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('speed').selectOption('1000');
  const frames = await page.evaluate(async () => {
    const send = [...document.querySelectorAll('[data-testid="service"]')]
      .find((li) => li.textContent.includes('service/visits'))?.querySelector('[data-testid="send-requests"]');
    const times = [];
    let last = performance.now();
    const end = last + 5000;
    const timer = setInterval(() => send?.click(), 200);
    await new Promise((resolve) => {
      const frame = (now) => {
        times.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(frame); else resolve();
      };
      requestAnimationFrame(frame);
    });
    clearInterval(timer);
    return times.sort((a, b) => a - b);
  });
  const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))].toFixed(1);
  figures.push(`frames with 100 pods and 50 requests/s: ${frames.length} frames in 5 s, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (goal ≤ 16), max ${frames[frames.length - 1].toFixed(1)} ms`);
} finally {
  await browser.close();
  server.kill();
}
console.log(figures.join('\n'));
