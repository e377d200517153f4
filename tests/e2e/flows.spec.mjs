// The rest of what a learner tries in a lab: ordered start-up, refused
// requests, DNS names that do not resolve, OnDelete, a missing image, logs,
// reset, redo, reduced motion and a share link too long to be one.
import { test, expect, run } from './fixtures.mjs';

const pod = (page, name) => page.locator(`[data-pod="${name}"]`);
const status = (page, name) => pod(page, name).getByTestId('pod-status');

async function applied(page) {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
}

test('OrderedReady: each pod is created only once the one before it is Ready (§2.3)', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('5000');
  // Every change to the cards is checked: a card for web-N never exists while web-(N-1) is not 1/1.
  await page.evaluate(() => {
    window.outOfOrder = [];
    new MutationObserver(() => {
      for (const n of [1, 2]) {
        const card = document.querySelector(`[data-pod="web-${n}"]`);
        const before = document.querySelector(`[data-pod="web-${n - 1}"]`);
        if (card && !before?.getAttribute('aria-label')?.includes('READY 1/1')) window.outOfOrder.push(`web-${n}`);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 30_000 });
  expect(await page.evaluate(() => window.outOfOrder)).toEqual([]);
});

test('with no pods behind the Service a request gets no answer, and is drawn so', async ({ page }) => {
  await applied(page);
  await run(page, 'kubectl scale sts web --replicas=0');
  await expect(page.getByTestId('pod')).toHaveCount(0, { timeout: 20_000 });
  await page.getByTestId('send-1').click();
  // Headless, and no pod ready: the name has no address at all (§7.4), as curl says.
  await expect(page.getByTestId('requests')).toContainText('client ✗ Could not resolve host: visits');
  await expect(page.locator('.flying-dot.refused')).toHaveCount(1);
});

test('the DNS panel says why a stable name does not resolve', async ({ page }) => {
  await applied(page);
  const dns = page.getByTestId('dns');
  await expect(dns).toContainText('web-0.visits.default.svc.cluster.local → 10.244.');
  await run(page, 'kubectl delete service visits');
  await expect(dns).toContainText('web-0.visits.default.svc.cluster.local ✗ NXDOMAIN: no Service named visits (serviceName)');
});

test('OnDelete: a new image waits until the learner deletes each pod (§3.8)', async ({ page }) => {
  await applied(page);
  await page.getByTestId('strategy').selectOption('OnDelete');
  await expect(page.getByTestId('statefulset')).toContainText('OnDelete');
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/type: OnDelete/);
  const next = await page.getByTestId('image').locator('option').evaluateAll((options) => options.map((o) => o.value).find((v) => v.endsWith(':1.1')));
  await page.getByTestId('image').selectOption(next);
  await expect(page.getByTestId('apply-result')).toContainText('statefulset.apps/web configured');
  for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
  // Nothing replaced: every pod still runs the old revision.
  await expect(page.locator('[data-pod] .rev-new')).toHaveCount(0);
  await pod(page, 'web-1').getByRole('button', { name: 'Delete pod web-1' }).click();
  await expect(pod(page, 'web-1').locator('.rev-new')).toHaveCount(1, { timeout: 20_000 });
  await expect(pod(page, 'web-0').locator('.rev-new')).toHaveCount(0);
});

test('a missing image leaves the pod pulling in vain', async ({ page }) => {
  await applied(page);
  await page.getByTestId('image').selectOption('ghcr.io/example/visits:missing');
  await expect(status(page, 'web-2')).toHaveText(/ErrImagePull|ImagePullBackOff/, { timeout: 20_000 });
  await expect(page.getByTestId('statefulset')).toContainText('READY 2/3');
});

test('Logs prints the pod\'s log in the terminal; Reset empties the cluster and keeps the text', async ({ page }) => {
  await applied(page);
  await page.getByTestId('send-10').click();
  await pod(page, 'web-0').getByRole('button', { name: 'Logs web-0' }).click();
  await expect(page.getByTestId('terminal')).toContainText('kubectl logs web-0');
  await expect(page.getByTestId('terminal')).toContainText('GET /');
  const text = await page.getByTestId('manifest-editor').inputValue();
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('pod')).toHaveCount(0);
  await expect(page.getByTestId('manifest-editor')).toHaveValue(text);
});

test('undo and redo in the editor', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  const text = await editor.inputValue();
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# note');
  await expect(editor).toHaveValue(`${text}# note`);
  // The browser's own history (it groups typing as it likes): back to the start, then forward again.
  let undos = 0;
  while ((await editor.inputValue()) !== text && undos < 6) {
    await page.keyboard.press('Control+z');
    undos += 1;
  }
  await expect(editor).toHaveValue(text);
  for (let i = 0; i < undos; i++) await page.keyboard.press('Control+Shift+z');
  await expect(editor).toHaveValue(`${text}# note`);
  await expect(page.getByTestId('diagnostics')).toHaveText('2 objects: Service/visits, StatefulSet/web');
});

test('with reduced motion nothing flies or flashes; the requests are listed as text', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await applied(page);
  await page.getByTestId('send-1').click();
  await expect(page.getByTestId('requests')).toContainText('client → service/visits → web-');
  const animations = await page.evaluate(() => [...document.querySelectorAll('.flying-dot, .requests .dot, .visits')]
    .flatMap((element) => [getComputedStyle(element).animationName, getComputedStyle(element, '::after').animationName]));
  expect(animations.length).toBeGreaterThan(0);
  expect(new Set(animations)).toEqual(new Set(['none']));
});

test('a share link too long to be a session gets a message and a working page', async ({ page }) => {
  await page.goto(`./#s=${'A'.repeat(600_000)}`);
  await expect(page.getByTestId('notice')).toContainText('This link could not be opened: the link is too long');
  await expect(page.getByTestId('manifest-editor')).toHaveValue(/kind: StatefulSet/);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('pod').first()).toBeVisible({ timeout: 20_000 });
});

test('a value of the wrong type is quoted in the API server\'s message, as kubectl prints it', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  await editor.fill((await editor.inputValue()).replace('replicas: 3', 'replicas: abc'));
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('spec.replicas: invalid type: string "abc", expected i64');
});
