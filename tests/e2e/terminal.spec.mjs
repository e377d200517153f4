// The terminal panel: kubectl and the shell against the simulated cluster.
import { test, expect } from './fixtures.mjs';

async function run(page, line) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
}

test('kubectl apply -f manifest.yaml and get po,sts,svc,pvc print kubectl tables', async ({ page }) => {
  await page.goto('./');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl apply -f manifest.yaml');
  await expect(terminal).toContainText('service/visits created');
  await expect(terminal).toContainText('statefulset.apps/web created');
  await run(page, 'kubectl rollout status sts/web');
  await expect(terminal).toContainText('partitioned roll out complete: 3 new pods have been updated...');
  await run(page, 'kubectl get po,sts,svc,pvc');
  await expect(terminal).toContainText('statefulset.apps/web   3/3');
  await expect(terminal).toContainText('persistentvolumeclaim/data-web-2   Bound');
  // The cluster view shows the same cluster.
  await expect(page.getByTestId('pod')).toHaveCount(3);
});

test('history, an interactive pod shell, and an error in red', async ({ page }) => {
  await page.goto('./');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl apply -f manifest.yaml && sleep 30');
  await run(page, 'kubectl exec -it web-0 -- sh');
  await expect(page.getByTestId('prompt')).toHaveText('#');
  await run(page, 'hostname -f');
  await expect(terminal).toContainText('web-0.visits.default.svc.cluster.local');
  await run(page, 'exit');
  await expect(page.getByTestId('prompt')).toHaveText('$');
  await run(page, 'kubectl get pod web-9');
  await expect(terminal.locator('.err')).toContainText('Error from server (NotFound): pods "web-9" not found');
  const input = page.getByTestId('terminal-input');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('kubectl get pod web-9');
});

test('a watch streams changes until Ctrl-C', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl apply -f manifest.yaml');
  await run(page, 'kubectl get pods -w');
  await expect(terminal).toContainText(/web-2\s+1\/1\s+Running/, { timeout: 15_000 });
  await page.getByTestId('terminal-input').press('Control+c');
  await expect(terminal).toContainText('^C');
});

test('Ctrl-C with text selected copies instead; Tab on an empty line leaves the terminal', async ({ page }) => {
  await page.goto('./');
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get pods');
  await input.evaluate((field) => field.setSelectionRange(0, 7));
  await input.press('Control+c');
  await expect(input).toHaveValue('kubectl get pods');
  await expect(page.getByTestId('terminal')).not.toContainText('^C');
  // Nothing selected: Ctrl-C abandons the line, as in a shell.
  await input.evaluate((field) => field.setSelectionRange(16, 16));
  await input.press('Control+c');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('terminal')).toContainText('kubectl get pods^C');
  // The keyboard is never trapped: Tab with nothing typed moves on.
  await input.press('Tab');
  await expect(input).not.toBeFocused();
});

test('Tab completes commands, verbs and the names of live pods', async ({ page }) => {
  await page.goto('./');
  const input = page.getByTestId('terminal-input');
  await run(page, 'kubectl apply -f manifest.yaml && sleep 30');
  await input.fill('kubectl ex');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl exec ');
  await input.pressSequentially('web-');
  await input.press('Tab');
  await expect(page.getByTestId('terminal')).toContainText('web-0  web-1  web-2');
  await input.pressSequentially('1');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl exec web-1 ');
});
