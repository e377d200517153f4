// The spec controls (they edit the YAML and apply it), the time scrubber, the
// pod actions, the DNS panel, the Inspector, Export and presentation mode.
import { test, expect } from './fixtures.mjs';

const pod = (page, name) => page.locator(`[data-pod="${name}"]`);
const status = (page, name) => pod(page, name).getByTestId('pod-status');

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
});

test('scaling down leaves web-2\'s claim behind with its count; scaling up re-attaches it (§4.9)', async ({ page }) => {
  await page.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('send-requests').click();
  const count = await pod(page, 'web-2').getByTestId('visits').textContent();

  await page.getByTestId('scale-down').click();
  // The button edited the YAML, then applied it: text and cluster agree.
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/\n  replicas: 2\n/);
  await expect(page.getByTestId('apply-result')).toContainText('statefulset.apps/web configured');
  await expect(page.getByTestId('pod')).toHaveCount(2, { timeout: 20_000 });
  const detached = page.locator('.detached [data-claim="data-web-2"]');
  await expect(detached).toContainText(count);

  await page.getByTestId('scale-up').click();
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/\n  replicas: 3\n/);
  await expect(status(page, 'web-2')).toHaveText('Running', { timeout: 20_000 });
  await expect(pod(page, 'web-2').getByTestId('claim')).toContainText(count);
  await expect(page.locator('.detached')).toHaveCount(0);
});

test('a partitioned rolling update replaces only the pods at or above the partition (§3.6)', async ({ page }) => {
  const partition = page.getByTestId('partition');
  await partition.fill('2');
  await partition.dispatchEvent('change');
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/rollingUpdate:\n      partition: 2\n/);
  await expect(page.getByTestId('partition-edge')).toContainText('partition 2');
  await expect(page.getByTestId('partition-value')).toHaveText('2');
  // The marker sits between web-1 and web-2.
  await expect(page.locator('[data-testid="partition-edge"] + [data-pod="web-2"]')).toHaveCount(1);

  await page.getByTestId('image').selectOption('ghcr.io/example/visits:1.1');
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/image: ghcr.io\/example\/visits:1.1\n/);
  await expect(pod(page, 'web-2').locator('.rev-new')).toHaveCount(1, { timeout: 20_000 });
  await expect(status(page, 'web-2')).toHaveText('Running', { timeout: 20_000 });
  await page.getByTestId('step').click();
  await expect(pod(page, 'web-1').locator('.rev-old')).toHaveCount(1);
  await expect(pod(page, 'web-0').locator('.rev-old')).toHaveCount(1);

  await partition.fill('0');
  await partition.dispatchEvent('change');
  await expect(pod(page, 'web-0').locator('.rev-new')).toHaveCount(1, { timeout: 30_000 });
  await expect(pod(page, 'web-1').locator('.rev-new')).toHaveCount(1);
});

test('a stuck rollout: the broken pod blocks the set until it is deleted', async ({ page }) => {
  await page.getByTestId('image').selectOption('ghcr.io/example/visits:crash');
  await expect(status(page, 'web-2')).toHaveText(/Error|CrashLoopBackOff/, { timeout: 20_000 });
  await page.getByTestId('image').selectOption('ghcr.io/example/visits:1.0');
  await expect(page.getByTestId('apply-result')).toContainText('statefulset.apps/web configured');
  // Reverting is not enough: web-2 is never Ready, so OrderedReady never replaces it (§3.9).
  for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
  await expect(status(page, 'web-2')).toHaveText(/Error|CrashLoopBackOff/);
  await pod(page, 'web-2').getByRole('button', { name: 'Delete pod web-2' }).click();
  await expect(status(page, 'web-2')).toHaveText('Running', { timeout: 20_000 });
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
});

test('changing podManagementPolicy is refused by the API server, as on a real cluster', async ({ page }) => {
  await page.getByTestId('policy').selectOption('Parallel');
  await expect(page.getByTestId('apply-result')).toContainText('Forbidden: updates to statefulset spec for fields other than');
  await expect(page.getByTestId('statefulset')).toContainText('OrderedReady');
  // Text, control and cluster still agree: the refused edit is taken back.
  await expect(page.getByTestId('manifest-editor')).not.toHaveValue(/Parallel/);
  await expect(page.getByTestId('policy')).toHaveValue('OrderedReady');
});

test('scrubbing back shows an earlier moment; continuing from there discards the rest', async ({ page }) => {
  await page.getByTestId('play-pause').click();
  const scrubber = page.getByTestId('scrubber');
  const liveEnd = Number(await scrubber.getAttribute('max'));
  expect(liveEnd).toBeGreaterThan(3000);
  // The page's first moment, before the manifest was applied: no pods.
  await scrubber.fill('0');
  await expect(page.getByTestId('continue-here')).toBeVisible();
  await expect(page.getByTestId('clock-time')).toHaveText('00:00.0');
  await expect(page.getByTestId('pod')).toHaveCount(0);
  // Back to live: the three pods again, at the same moment as before.
  await page.getByTestId('back-to-live').click();
  await expect(page.getByTestId('pod')).toHaveCount(3);
  await expect(scrubber).toHaveAttribute('max', String(liveEnd));
  // Continue from the start: the apply is discarded, so nothing runs until
  // the learner applies again.
  await scrubber.fill('0');
  await page.getByTestId('continue-here').click();
  await expect(page.getByTestId('continue-here')).toHaveCount(0);
  await expect(scrubber).toHaveAttribute('max', '0');
  await page.getByTestId('play-pause').click();
  await page.getByTestId('step').click();
  await expect(page.getByTestId('pod')).toHaveCount(0);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
});

test('the terminal rewinds with the scrubber: it shows what it had printed by that moment', async ({ page }) => {
  await page.getByTestId('play-pause').click();
  const terminal = page.getByTestId('terminal');
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get sts');
  await input.press('Enter');
  await expect(terminal).toContainText('web    3/3');
  const scrubber = page.getByTestId('scrubber');
  await scrubber.fill('1000');
  await expect(page.getByTestId('continue-here')).toBeVisible();
  await expect(terminal).not.toContainText('kubectl get sts');
  await page.getByTestId('back-to-live').click();
  await expect(terminal).toContainText('web    3/3');
  // Continuing from the earlier moment discards the later lines for good.
  await scrubber.fill('1000');
  await page.getByTestId('continue-here').click();
  await expect(page.getByTestId('continue-here')).toHaveCount(0);
  await expect(terminal).not.toContainText('kubectl get sts');
  // …and says so, so acting on the past never rewrites the future silently.
  await expect(terminal).toContainText('(continued from 00:01.0: what had happened after it');
});

test('while the scrubber shows the past, the Inspector shows the object as it was then', async ({ page }) => {
  await page.getByTestId('play-pause').click();
  await pod(page, 'web-2').getByRole('button', { name: 'Inspect web-2' }).click();
  await expect(page.getByTestId('inspector-yaml')).toContainText('phase: Running');
  // Back to a moment before web-2 was created (web-0 comes first).
  const scrubber = page.getByTestId('scrubber');
  await scrubber.fill('100');
  await expect(page.getByTestId('continue-here')).toBeVisible();
  await expect(page.getByTestId('inspector-yaml')).toContainText('pods "web-2" not found');
  await page.getByTestId('back-to-live').click();
  await expect(page.getByTestId('inspector-yaml')).toContainText('phase: Running');
});

test('pod actions, the DNS panel, the Inspector, Export and presentation mode', async ({ page }) => {
  // DNS: the stable names of each pod and of the headless Service.
  const dns = page.getByTestId('dns');
  await expect(dns).toContainText('web-0.visits.default.svc.cluster.local → 10.244.');
  await expect(dns).toContainText('visits.default.svc.cluster.local →');

  await pod(page, 'web-0').getByRole('button', { name: 'Describe' }).click();
  await expect(page.getByTestId('terminal')).toContainText('kubectl describe pod web-0');
  await expect(page.getByTestId('terminal')).toContainText('Controlled By:  StatefulSet/web');

  await pod(page, 'web-1').getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByTestId('inspector-yaml')).toContainText('kind: Pod');
  await expect(page.getByTestId('inspector-yaml')).toContainText('name: web-1');
  await page.getByTestId('inspect-object').selectOption('statefulset/web');
  await expect(page.getByTestId('inspector-yaml')).toContainText('kind: StatefulSet');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toBe('statefulset-session.sh');
  const script = await (await download.createReadStream()).toArray();
  expect(Buffer.concat(script).toString()).toContain('kubectl apply -f');

  await page.getByTestId('present-toggle').click();
  await expect(page.getByTestId('app')).toHaveClass(/presenting/);
});

test('new events arrive above the row the keyboard is on, and it keeps the focus', async ({ page }) => {
  await page.getByRole('tab', { name: 'Events' }).click();
  const rows = page.getByTestId('events').locator('tbody tr');
  const before = await rows.count();
  const focused = rows.last().getByRole('button');
  const object = await focused.textContent();
  await focused.focus();
  // A scale-up from a script (a click would move the focus): new events at the top.
  await page.getByTestId('scale-up').evaluate((button) => button.click());
  await expect.poll(() => rows.count()).toBeGreaterThan(before);
  await expect(page.getByTestId('events')).toContainText('create Pod web-3 in StatefulSet web successful');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="events"]') !== null)).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(object);
});
