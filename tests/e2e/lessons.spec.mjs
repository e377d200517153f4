// Guided lessons, share links and reload, in the real page.
import { test, expect } from './fixtures.mjs';

const step = (page, n) => page.getByTestId('lesson-step').nth(n);

test('a deep link opens a lesson whose steps turn green as the learner does them', async ({ page }) => {
  await page.goto('./#lesson=first-statefulset');
  await page.getByTestId('speed').selectOption('20000');
  await expect(page.getByTestId('lesson')).toContainText('Your first StatefulSet');
  await expect(step(page, 0)).toHaveAttribute('data-state', 'current');
  await expect(step(page, 1)).toHaveAttribute('data-state', 'todo');

  // Step 1: apply the manifest; the check waits for three ready pods.
  await page.getByTestId('apply').click();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(step(page, 0).getByTestId('lesson-why')).toContainText('one at a time');

  // A reload mid-lesson comes back to the same step with the same cluster.
  await page.reload();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done');
  await expect(step(page, 1)).toHaveAttribute('data-state', 'current');
  await expect(page.getByTestId('pod')).toHaveCount(3);

  // Step 2: the prefill puts the command in the terminal; the learner presses Enter.
  await page.getByTestId('lesson-prefill').click();
  const input = page.getByTestId('terminal-input');
  await expect(input).toHaveValue('kubectl get po,sts,svc,pvc');
  await input.press('Enter');
  await expect(step(page, 1)).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('lesson-progress')).toHaveText('2 of 2 steps done');
  await expect(page.getByTestId('lesson-question')).toContainText('How many PersistentVolumeClaims exist');
});

test('per-pod storage: requests, then a deleted pod that keeps its count', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('lesson-picker').selectOption('per-pod-storage');
  await expect(page.getByTestId('lesson')).toContainText('Per-pod storage');
  await page.getByTestId('apply').click();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  // Skipping ahead does not count: deleting a pod now leaves "Send requests" red.
  const service = page.getByTestId('service').filter({ hasText: 'service/visits' });
  await service.getByTestId('send-requests').click();
  await expect(step(page, 1)).toHaveAttribute('data-state', 'done');
  await page.getByTestId('lesson-prefill').click();
  await page.getByTestId('terminal-input').press('Enter');
  await expect(step(page, 2)).toHaveAttribute('data-state', 'done');
  await expect(step(page, 3)).toHaveAttribute('data-state', 'current');
  await page.locator('[data-pod="web-0"]').getByRole('button', { name: 'Delete pod' }).click();
  await expect(step(page, 3)).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(step(page, 3).getByTestId('lesson-why')).toContainText('same claim data-web-0');
});

test('a share link reproduces the same cluster in a fresh page; a broken one says so', async ({ page, browser, baseURL }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
  await page.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('send-requests').click();
  await page.getByTestId('play-pause').click(); // freeze the clock so both pages show the same moment
  const counts = await page.getByTestId('visits').allTextContents();
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#s=[A-Za-z0-9+$-]+$/);

  // Sharing does not touch this tab's address bar (a reload keeps later work).
  expect(page.url()).not.toContain('#s=');

  const other = await browser.newPage({ baseURL });
  await other.goto(link);
  await other.getByTestId('play-pause').click();
  await expect(other.getByTestId('statefulset')).toContainText('READY 3/3');
  await expect(other.getByTestId('visits')).toHaveText(counts);
  // Once opened, the link leaves the address bar: work done after it survives a reload.
  await expect.poll(() => other.url()).not.toContain('#s=');
  await other.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('send-requests').click();
  const after = await other.getByTestId('visits').allTextContents();
  await other.reload();
  await expect(other.getByTestId('visits')).toHaveText(after);
  await other.close();

  // A link pasted into the same tab's address bar changes only the fragment:
  // the page loads it all the same.
  await page.evaluate(() => { window.location.hash = '#s=not-a-session'; });
  await expect(page.getByTestId('notice')).toContainText('This link could not be opened');
  await expect(page.getByTestId('manifest-editor')).not.toBeEmpty();
});

test('a reload brings back the same cluster and the editor text', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
  await page.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('send-requests').click();
  await page.getByTestId('manifest-editor').fill('# my notes\n');
  await page.reload();
  await expect(page.getByTestId('manifest-editor')).toHaveValue('# my notes\n');
  await expect(page.getByTestId('pod')).toHaveCount(3);
  const counts = await page.getByTestId('visits').allTextContents();
  const total = counts.map((t) => Number((t.match(/visits: (\d+)/) || [0, 0])[1])).reduce((a, b) => a + b, 0);
  expect(total).toBe(10);
});
