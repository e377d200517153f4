// The learner applies the default manifest and watches the simulated cluster run it.
import { test, expect } from './fixtures.mjs';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  // 20× speed: three pods become ready in well under a second of wall time.
  await page.getByTestId('speed').selectOption('20000');
});

test('Apply runs the manifest: ordered pods, one claim each, events', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toHaveText('service/visits created\nstatefulset.apps/web created');

  const pods = page.getByTestId('pod');
  await expect(pods).toHaveCount(3, { timeout: 15_000 });
  await expect(page.locator('[data-pod="web-2"] [data-testid="pod-status"]')).toHaveText('Running', { timeout: 15_000 });
  await expect(pods.nth(0)).toHaveAttribute('data-pod', 'web-0');
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3');
  await expect(page.locator('[data-claim="data-web-1"]')).toContainText('Bound');

  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByTestId('events')).toContainText('create Pod web-0 in StatefulSet web successful');
});

test('requests through the Service are counted on each pod\'s own volume', async ({ page }) => {
  await page.keyboard.press('Tab');
  await page.getByTestId('manifest-editor').press('Control+Enter');
  await expect(page.locator('[data-pod="web-2"] [data-testid="pod-status"]')).toHaveText('Running', { timeout: 15_000 });
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3');
  const service = page.getByTestId('service').filter({ hasText: 'service/visits' });
  await service.getByTestId('send-requests').click();
  await service.getByTestId('send-requests').click();
  const counts = await page.getByTestId('visits').allTextContents();
  const total = counts.map((t) => Number((t.match(/visits: (\d+)/) || [0, 0])[1])).reduce((a, b) => a + b, 0);
  expect(total).toBe(20);
});

test('a deleted pod comes back with the same claim and its count, but a new IP', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  const web1 = page.locator('[data-pod="web-1"]');
  // Ten requests straight to web-1: its volume counts them.
  await page.getByTestId('request-target').selectOption('pod/web-1');
  await page.getByTestId('send-10').click();
  await expect(web1.getByTestId('visits')).toHaveText('visits: 10');
  const oldIp = await web1.getByTestId('pod-ip').textContent();
  // Paused, so the short Terminating moment (well under one tick at 20×) stays on screen.
  await page.getByTestId('play-pause').click();
  await web1.getByRole('button', { name: 'Delete pod web-1' }).click();
  await expect(web1.getByTestId('pod-status')).toHaveText('Terminating');
  await page.getByTestId('play-pause').click();
  await expect(web1.getByTestId('pod-status')).toHaveText('Running', { timeout: 15_000 });
  // Same name, same claim and volume, the same count on it; only the IP is new.
  await expect(web1.getByTestId('pod-ip')).not.toHaveText(oldIp);
  await expect(web1.getByTestId('claim')).toContainText('data-web-1');
  await expect(web1.getByTestId('visits')).toHaveText('visits: 10');
});

test('the cards name what they draw: probes, revision, the claim\'s volume, headless or ClusterIP', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  const web0 = page.locator('[data-pod="web-0"]');
  await expect(web0.getByTestId('pod-probes')).toHaveText('none');
  await expect(web0.getByTestId('pod-probes')).toHaveAttribute('title', 'No probes: Ready as soon as its container runs');
  await expect(web0.getByTestId('claim-volume')).toHaveText(/^PV pvc-/);
  await expect(page.getByRole('group', { name: /^PersistentVolumeClaim data-web-0, Bound 1Gi, on pvc-/ })).toBeVisible();
  await expect(page.getByTestId('service').filter({ hasText: 'service/visits' }).getByTestId('service-kind')).toHaveText('headless');
  await expect(page.getByRole('listitem', { name: /^Service visits, headless, ready endpoints: web-0, web-1, web-2/ })).toBeVisible();
  for (const action of ['Describe', 'Logs', 'Shell', 'Inspect']) {
    await expect(web0.getByRole('button', { name: `${action} web-0` })).toBeVisible();
  }
  // The headless Service is wired to its three ready pods...
  const wires = page.locator('.wire[data-ends^="visits "]');
  await expect(wires).toHaveCount(3);
  // ...and a pod on its way out is no longer an endpoint: its wire goes (clock paused to look).
  await page.getByTestId('play-pause').click();
  await page.locator('[data-pod="web-1"]').getByRole('button', { name: 'Delete pod web-1' }).click();
  await expect(page.locator('.wire[data-ends="visits web-1"]')).toHaveCount(0);
  await expect(wires).toHaveCount(2);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  await expect(wires).toHaveCount(3);
  // Every pod of one revision wears the same colour.
  const colours = await page.locator('[data-pod] dd[class*="rev-c"]').evaluateAll((dds) => dds.map((dd) => getComputedStyle(dd).color));
  expect(new Set(colours).size).toBe(1);
  // Shell opens a shell in the pod and hands the keyboard to the terminal.
  await web0.getByRole('button', { name: 'Shell web-0' }).click();
  await expect(page.getByTestId('prompt')).toHaveText('#');
  await expect(page.getByTestId('terminal-input')).toBeFocused();
});

test('an invalid manifest is refused with kubectl\'s message and the cluster keeps running', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  const editor = page.getByTestId('manifest-editor');
  const text = await editor.inputValue();
  await editor.fill(text.replace('      labels:\n        app: visits', '      labels:\n        app: other'));
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('line 27 column 7: The StatefulSet "web" is invalid: spec.template.metadata.labels');
  await expect(page.getByTestId('pod')).toHaveCount(3);
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3');
});

test('clicking a FailedCreate event shows the set and the manifest line that caused it (§4.5)', async ({ page }) => {
  const editor = page.getByTestId('manifest-editor');
  const text = await editor.inputValue();
  // The API server accepts a mount of a volume that does not exist; the controller cannot create the pod.
  await editor.fill(text.replace('            - name: data\n              mountPath', '            - name: www\n              mountPath'));
  await page.getByTestId('apply').click();
  await page.getByRole('tab', { name: 'Events' }).click();
  const failed = page.getByTestId('events').locator('tr', { hasText: 'FailedCreate' }).first();
  await expect(failed).toContainText('spec.containers[0].volumeMounts[0].name: Not found: "www"', { timeout: 15_000 });
  // Paused, so that no newer event moves the row while it is clicked.
  await page.getByTestId('play-pause').click();
  await failed.getByRole('button', { name: 'statefulset/web' }).click();
  await expect(page.getByTestId('statefulset')).toHaveAttribute('data-selected', '');
  await expect(editor).toBeFocused();
  const caretLine = await editor.evaluate((area) => area.value.slice(0, area.selectionStart).split('\n').pop());
  expect(caretLine.trim()).toBe('-');
  await expect(page.locator('.highlight .focus')).toContainText('- name: www');
});

test('traffic: send 1 to a chosen pod, then steady traffic to the Service, each request listed as it travels', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  const visits = (pod) => page.locator(`[data-pod="${pod}"] [data-testid="visits"]`);

  await page.getByTestId('request-target').selectOption('pod/web-2');
  await page.getByTestId('send-1').click();
  await expect(visits('web-2')).toHaveText('visits: 1');
  await expect(visits('web-0')).toHaveText('no visits yet');
  await expect(page.getByTestId('requests').locator('li').first()).toHaveText('client → web-2: 200');

  // Steady traffic through the headless Service: DNS hands out pod IPs, every pod gets some.
  await page.getByTestId('request-target').selectOption('visits');
  await page.getByTestId('traffic-rate').selectOption('10');
  await expect(page.getByTestId('requests').locator('li').first()).toContainText('client → service/visits → web-');
  for (const pod of ['web-0', 'web-1']) await expect(visits(pod)).toHaveText(/visits: \d+/, { timeout: 15_000 });
  await page.getByTestId('traffic-rate').selectOption('0');
  const total = async () => (await page.getByTestId('visits').allTextContents()).reduce((sum, t) => sum + (Number(t.replace(/\D/g, '')) || 0), 0);
  const stopped = await total();
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  expect(await total()).toBe(stopped);
});

test('each request is a dot that flies from the traffic controls through the Service to the pod that answered', async ({ page }) => {
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  await page.getByTestId('play-pause').click();
  await page.getByTestId('request-target').selectOption('visits');
  await page.getByTestId('send-1').click();
  const answered = (await page.getByTestId('requests').locator('li').first().textContent()).match(/web-\d/)[0];
  const dot = page.locator('.flights .flying-dot');
  await expect(dot).toHaveCount(1);
  await expect(dot).toHaveAttribute('data-to', answered);
  // Where the animation passes, in the cluster view's own coordinates: each point
  // lies on the element it stands for.
  const hits = await page.evaluate((pod) => {
    const body = document.querySelector('.cluster-body');
    const dot = document.querySelector('.flights .flying-dot');
    const origin = body.getBoundingClientRect();
    const on = (selector, x, y) => {
      const r = document.querySelector(selector).getBoundingClientRect();
      const left = r.left - origin.left + body.scrollLeft, top = r.top - origin.top + body.scrollTop;
      return x >= left && x <= left + r.width && y >= top && y <= top + r.height;
    };
    const at = (n) => [parseFloat(dot.style.getPropertyValue(`--x${n}`)), parseFloat(dot.style.getPropertyValue(`--y${n}`))];
    return [on('.traffic select', ...at(0)), on('[data-service="visits"]', ...at(1)), on(`article[data-pod="${pod}"]`, ...at(2))];
  }, answered);
  expect(hits).toEqual([true, true, true]);
  // Ten more: a dot each for the six the lane lists, none left over.
  await page.getByTestId('send-10').click();
  await expect(dot).toHaveCount(6);
});

test('a count kept in /tmp is drawn in the container layer, and is lost with the pod', async ({ page }) => {
  const editor = page.getByTestId('manifest-editor');
  await editor.fill((await editor.inputValue()).replace('value: /data/visits', 'value: /tmp/visits'));
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  await page.getByTestId('request-target').selectOption('pod/web-0');
  await page.getByTestId('send-10').click();
  const files = page.locator('[data-pod="web-0"] [data-testid="files"] li');
  await expect(files).toHaveText(['/tmp/visitscontainer layer']);
  await expect(files.first()).toHaveClass('container');
  await expect(page.locator('[data-pod="web-0"] [data-testid="visits"]')).toHaveText('no visits yet');
  await page.locator('[data-pod="web-0"]').getByRole('button', { name: 'Delete pod web-0' }).click();
  await expect(page.locator('[data-pod="web-0"] [data-testid="pod-status"]')).toHaveText('Running', { timeout: 15_000 });
  await expect(page.locator('[data-pod="web-0"] [data-testid="files"]')).toHaveCount(0);
});
