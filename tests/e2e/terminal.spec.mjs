// The terminal panel: kubectl and the shell against the simulated cluster.
import { test, expect, defaultManifest, run } from './fixtures.mjs';

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
  // `ex` is ambiguous (exec, expose): Tab lists both, as bash does; `exe` completes.
  await input.fill('kubectl ex');
  await input.press('Tab');
  await expect(page.getByTestId('terminal')).toContainText('exec  expose');
  await input.fill('kubectl exe');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl exec ');
  await input.pressSequentially('web-');
  await input.press('Tab');
  await expect(page.getByTestId('terminal')).toContainText('web-0  web-1  web-2');
  await input.pressSequentially('1');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl exec web-1 ');
});

test('the lab\'s loop: minikube service opens a tunnel to a ClusterIP Service that curl reaches, and the counts move', async ({ page }) => {
  await page.goto('./');
  const clusterIp = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: visits\n  ports:\n    - port: 80\n      targetPort: 8080\n';
  await page.getByTestId('manifest-editor').fill(defaultManifest() + clusterIp);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('service/web created');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl rollout status sts/web');
  await expect(terminal).toContainText('partitioned roll out complete');
  // The learners' laptops are Macs (Docker Desktop): --url opens a tunnel and prints only its URL.
  await expect(page.getByTestId('host-os')).toHaveValue('darwin');
  await run(page, 'minikube service web --url');
  await expect(terminal.locator('.err', { hasText: 'not meant to be exposed' })).toContainText('have type "ClusterIP"');
  await expect(terminal).toContainText('http://127.0.0.1:47825');
  await expect(terminal.locator('.err', { hasText: 'Docker driver on darwin' })).toHaveCount(1);
  await run(page, 'minikube service web');
  await expect(terminal).toContainText('Starting tunnel for service web.');
  await expect(terminal).toContainText('| default   | web  |             | http://127.0.0.1:47825 |');
  await run(page, 'for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w "%{http_code} " $(minikube service web --url 2>/dev/null)/; done; echo');
  await expect(terminal).toContainText('200 200 200 200 200 200');
  // The six requests landed on the pods behind the Service: their counts add up to six.
  await expect(async () => {
    const counts = await page.getByTestId('visits').allTextContents();
    const total = counts.map((text) => Number(text.replace(/\D/g, '')) || 0).reduce((a, b) => a + b, 0);
    expect(total).toBe(6);
  }).toPass();
  await run(page, 'curl -sS http://web-0.visits:8080/; echo "exit $?"');
  await expect(terminal).toContainText('curl: (6) Could not resolve host: web-0.visits');
  await expect(terminal).toContainText('exit 6');
});

test('the laptop above the terminal: a Mac reaches the node only through tunnels, Linux reaches its node ports, and the choice survives a reload', async ({ page }) => {
  await page.goto('./');
  const nodePort = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-np\nspec:\n  type: NodePort\n  selector:\n    app: visits\n  ports:\n    - port: 80\n      targetPort: 8080\n      nodePort: 30080\n';
  await page.getByTestId('manifest-editor').fill(defaultManifest() + nodePort);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('service/web-np created');
  const terminal = page.getByTestId('terminal');
  await run(page, 'kubectl rollout status sts/web');
  await expect(terminal).toContainText('partitioned roll out complete');
  await run(page, 'uname');
  await expect(terminal).toContainText('Darwin');
  await run(page, 'curl -sS -m 2 http://192.168.49.2:30080/; echo "mac exit $?"');
  await expect(terminal).toContainText('mac exit 28');
  await page.getByTestId('host-os').selectOption('linux');
  await run(page, 'uname');
  await expect(terminal.getByText('Linux', { exact: true })).toHaveCount(1);
  await run(page, 'minikube service web-np --url');
  await expect(terminal).toContainText('http://192.168.49.2:30080');
  await run(page, 'curl -s -o /dev/null -w "linux %{http_code}\\n" http://192.168.49.2:30080/');
  await expect(terminal).toContainText('linux 200');
  await page.reload();
  await expect(page.getByTestId('host-os')).toHaveValue('linux');
  await run(page, 'uname -s');
  await expect(terminal.getByText('Linux', { exact: true })).toHaveCount(1);
});
