// Helm in the page: the first page has no helm (its wasm stays small); the first
// `helm` line opens helm.html, the same app with Helm, on the same session.
import { readFileSync } from 'node:fs';
import { test, expect, run } from './fixtures.mjs';

/** The wasm files the page has loaded. */
async function wasmLoaded(page) {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
}

test('the first helm command opens the page with Helm, which runs it and carries the session on', async ({ page }) => {
  await page.goto('./');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl create deployment before --image=nginx');
  await expect(terminal).toContainText('deployment.apps/before created');
  const first = await wasmLoaded(page);
  expect(first).toHaveLength(1);

  await run(page, 'helm create web');
  await expect(page).toHaveURL(/helm\.html/);
  await expect(terminal).toContainText('Creating web');
  const second = await wasmLoaded(page);
  expect(second).toHaveLength(1);
  expect(second[0]).not.toBe(first[0]);
  // The cluster is the one the first page had.
  await run(page, 'kubectl get deploy before');
  await expect(terminal).toContainText(/before\s+\d\/1/);

  await run(page, 'helm install web ./web --set replicaCount=3');
  await expect(terminal).toContainText('STATUS: deployed');
  await run(page, 'kubectl rollout status deploy/web');
  await expect(terminal).toContainText('deployment "web" successfully rolled out');
  const webPods = page.locator('[data-testid="pod"]', { has: page.locator('[data-testid="pod-owner"]', { hasText: 'replicaset/web-' }) });
  await expect(webPods).toHaveCount(3);

  await run(page, 'helm upgrade web ./web --set replicaCount=3,image.tag=1.17.0');
  await expect(terminal).toContainText('has been upgraded. Happy Helming!');
  await run(page, "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}{\"\\n\"}'");
  await expect(terminal).toContainText('nginx:1.17.0');
  await run(page, 'helm rollback web 1');
  await expect(terminal).toContainText('Rollback was a success! Happy Helming!');
  await run(page, 'helm history web');
  await expect(terminal).toContainText(/3\s+.*\s+deployed\s+web-0\.1\.0\s+1\.16\.0\s+Rollback to 1/);

  // A reload, and the first page's address, both come back to this release.
  await page.reload();
  await run(page, 'helm list');
  await expect(terminal).toContainText(/web\s+default\s+3\s/);
  await page.goto('./');
  await expect(page).toHaveURL(/helm\.html/);
  await run(page, 'helm status web');
  await expect(terminal).toContainText('REVISION: 3');
});

/** helm create's Deployment template, written as the lab's StatefulSet. */
const statefulSet = readFileSync(new URL('../golden/helm-statefulset.yaml', import.meta.url), 'utf8');

test("the lab's Task 2 in the file tree: the starter chart made a StatefulSet, installed, upgraded and rolled back", async ({ page }) => {
  await page.goto('./');
  const terminal = page.getByTestId('terminal');
  await run(page, 'helm create web');
  await expect(page).toHaveURL(/helm\.html/);
  const tree = page.getByTestId('file-tree');
  await expect(tree.locator('[data-file="web/templates/deployment.yaml"]')).toBeVisible();

  // A new template, typed into the editor in place of the manifest.
  await page.getByTestId('new-file').fill('web/templates/statefulset.yaml');
  await tree.getByRole('button', { name: 'Add file' }).click();
  await expect(page.getByTestId('open-file')).toHaveText('web/templates/statefulset.yaml');
  await expect(page.getByTestId('manifest-editor')).toBeHidden();
  await page.getByTestId('file-editor').fill(statefulSet);
  // The Deployment's template goes.
  await tree.locator('[data-file="web/templates/deployment.yaml"]').click();
  await expect(page.getByTestId('file-editor')).toHaveValue(/kind: Deployment/);
  await page.getByTestId('delete-file').click();
  await expect(tree.locator('[data-file="web/templates/deployment.yaml"]')).toHaveCount(0);
  await expect(page.getByTestId('manifest-editor')).toBeVisible();
  // A file the terminal removes while it is open closes, and stays removed.
  await tree.locator('[data-file="web/templates/hpa.yaml"]').click();
  await run(page, 'rm web/templates/hpa.yaml');
  await expect(page.getByTestId('manifest-editor')).toBeVisible();
  await run(page, 'ls web/templates');
  await expect(tree.locator('[data-file="web/templates/hpa.yaml"]')).toHaveCount(0);
  // Renamed in the tree: the new name is what helm reads.
  await tree.locator('[data-file="web/templates/serviceaccount.yaml"]').click();
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('web/templates/account.yaml');
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByTestId('open-file')).toHaveText('web/templates/account.yaml');
  await expect(tree.locator('[data-file="web/templates/serviceaccount.yaml"]')).toHaveCount(0);
  await page.getByTestId('file-tree').locator('[data-file="web/templates/account.yaml"]').waitFor();

  await run(page, 'helm install web ./web --set replicaCount=3');
  await expect(terminal).toContainText('STATUS: deployed');
  await run(page, 'kubectl rollout status sts/web');
  await expect(terminal).toContainText('partitioned roll out complete: 3 new pods have been updated...');
  await expect(page.getByTestId('pod')).toHaveCount(3);
  await expect(page.getByTestId('claim')).toHaveCount(3);

  await run(page, 'helm upgrade web ./web --reuse-values --set image.tag=1.17.0');
  await expect(terminal).toContainText('has been upgraded. Happy Helming!');
  await run(page, 'kubectl rollout status sts/web');
  await run(page, "kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].image}'; echo");
  await expect(terminal).toContainText('nginx:1.17.0');
  await run(page, 'helm rollback web 1');
  await expect(terminal).toContainText('Rollback was a success! Happy Helming!');
  await run(page, 'kubectl rollout status sts/web');
  await run(page, "kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].image}'; echo");
  await expect(terminal.locator('div', { hasText: /^nginx:1\.16\.0$/ })).toHaveCount(1);

  // The chart is part of the session: a reload brings the edited files back.
  await page.reload();
  await expect(tree.locator('[data-file="web/templates/statefulset.yaml"]')).toBeVisible();
  await expect(tree.locator('[data-file="web/templates/deployment.yaml"]')).toHaveCount(0);
  await tree.locator('[data-file="web/templates/statefulset.yaml"]').click();
  await expect(page.getByTestId('file-editor')).toHaveValue(/kind: StatefulSet/);
});

test('the open chart renders as the learner types, with what helm upgrade would change and where a template breaks', async ({ page }) => {
  await page.goto('./');
  await run(page, 'helm create web');
  await expect(page).toHaveURL(/helm\.html/);
  const tree = page.getByTestId('file-tree');
  await tree.locator('[data-file="web/values.yaml"]').click();
  await page.getByTestId('show-rendered').click();
  await expect(page.getByTestId('rendered')).toContainText('kind: Deployment');
  await expect(page.locator('.chart-preview')).toContainText('No release named web is installed');

  await run(page, 'helm install web ./web');
  await expect(page.locator('.chart-preview')).toContainText('Release web already runs exactly this.');
  const editor = page.getByTestId('file-editor');
  await editor.fill((await editor.inputValue()).replace('replicaCount: 1', 'replicaCount: 2'));
  await expect(page.getByTestId('changes')).toContainText('-  replicas: 1');
  await expect(page.getByTestId('changes')).toContainText('+  replicas: 2');

  await tree.locator('[data-file="web/templates/service.yaml"]').click();
  await editor.fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name\n');
  await expect(page.getByTestId('render-error')).toContainText('web/templates/service.yaml:4');
  await page.getByRole('button', { name: 'Go to line 4' }).click();
  expect(await editor.evaluate((area) => area.value.slice(area.selectionStart, area.selectionEnd))).toBe('  name: {{ .Release.Name');

  // A file that renders to invalid YAML: every file as it rendered, that line marked.
  await editor.fill('apiVersion: v1\nkind: Service\nspec:\n  a: b: c\n');
  await expect(page.getByTestId('render-error')).toContainText('YAML parse error on web/templates/service.yaml');
  await expect(page.getByTestId('marked-line')).toHaveText('  a: b: c\n');
});

test("lesson 11 starts on the first page and carries on in the page with Helm, prefills included", async ({ page }) => {
  const step = (n) => page.getByTestId('lesson-step').nth(n);
  await page.goto('./#lesson=helm-statefulset');
  await expect(page.getByTestId('lesson')).toContainText('A Helm chart for a StatefulSet');
  await page.getByTestId('lesson-prefill').click();
  const input = page.getByTestId('terminal-input');
  await expect(input).toHaveValue('helm create web');
  await input.press('Enter');
  await expect(page).toHaveURL(/helm\.html#lesson=helm-statefulset/);
  await expect(step(0)).toHaveAttribute('data-state', 'done');
  await expect(step(1)).toHaveAttribute('data-state', 'current');
  // The next step's prefill opens the new template in the editor with its text.
  await page.getByTestId('lesson-prefill').click();
  await expect(page.getByTestId('open-file')).toHaveText('web/templates/statefulset.yaml');
  await expect(page.getByTestId('file-editor')).toHaveValue(/kind: StatefulSet/);
  await page.getByTestId('file-tree').locator('[data-file="web/templates/deployment.yaml"]').click();
  await page.getByTestId('delete-file').click();
  await run(page, 'helm template web ./web');
  await expect(step(1)).toHaveAttribute('data-state', 'done');
});
