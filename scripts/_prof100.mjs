import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
const DIR = process.argv[2] || 'dist';
const server = spawn('node', ['tests/e2e/serve-dist.mjs', DIR, '4181', '/x/'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto('http://127.0.0.1:4181/x/');
  const editor = page.getByTestId('manifest-editor');
  await page.waitForFunction(() => document.querySelector('[data-testid="manifest-editor"]')?.value.includes('StatefulSet'));
  const base = await editor.inputValue();
  await editor.fill(base.replace('replicas: 3', 'replicas: 100').replace('  serviceName: visits', '  podManagementPolicy: Parallel\n  serviceName: visits'));
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await page.getByTestId('statefulset').filter({ hasText: 'READY 100/100' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('speed').selectOption('1000');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.evaluate(async () => {
    const send = [...document.querySelectorAll('[data-testid="service"]')].find((li) => li.textContent.includes('service/visits'))?.querySelector('[data-testid="send-requests"]');
    const timer = setInterval(() => send?.click(), 200);
    await new Promise((r) => setTimeout(r, 5000));
    clearInterval(timer);
  });
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const self = new Map(), incl = new Map();
  const short = (n) => { const f = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()})`; return f.replace(/\[[0-9a-f]{16}\]/g, '').replace(/sts_playground::/g, '').slice(0, 130); };
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const n = byId.get(id);
    self.set(short(n), (self.get(short(n)) || 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) { const name = short(byId.get(cur)); if (!seen.has(name)) { seen.add(name); incl.set(name, (incl.get(name) || 0) + dt); } }
  });
  const show = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([name, us]) => console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`));
  console.log('== inclusive'); show(incl, 60);
  console.log('== self'); show(self, 30);
} finally { await browser.close(); server.kill(); }
