// The contrast the lab is about: the same app as a StatefulSet and as a Deployment.
import { test, expect, defaultManifest } from './fixtures.mjs';

const deployment = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-d
spec:
  replicas: 3
  selector:
    matchLabels:
      app: visits-d
  template:
    metadata:
      labels:
        app: visits-d
    spec:
      containers:
        - name: visits
          image: ghcr.io/example/visits:1.0
          ports:
            - name: http
              containerPort: 8080
`;

test('a deleted Deployment pod is replaced under a new name; a StatefulSet pod comes back as itself, with its claim', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('manifest-editor').fill(defaultManifest() + deployment);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('deployment.apps/web-d created');
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
  const summary = page.locator('[data-deployment="web-d"]');
  await expect(summary).toContainText('READY 3/3', { timeout: 20_000 });
  await expect(summary).toContainText('RollingUpdate (25% max unavailable, 25% max surge)');

  // The Deployment's pods: named after their ReplicaSet, owned by it, no claim.
  const deploymentPods = page.locator('[data-testid="pod"]', { has: page.locator('[data-testid="pod-owner"]', { hasText: 'replicaset/web-d-' }) });
  await expect(deploymentPods).toHaveCount(3);
  const before = await deploymentPods.evaluateAll((cards) => cards.map((card) => card.getAttribute('data-pod')));
  for (const name of before) expect(name).toMatch(/^web-d-[a-z0-9]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  await expect(deploymentPods.first().getByTestId('claim')).toHaveCount(0);

  // Pause, delete one pod of each, and let the controllers work.
  await page.getByTestId('play-pause').click();
  await page.locator(`[data-pod="${before[0]}"]`).getByRole('button', { name: `Delete pod ${before[0]}` }).click();
  const web1 = page.locator('[data-pod="web-1"]');
  const oldIp = await web1.getByTestId('pod-ip').textContent();
  await web1.getByRole('button', { name: 'Delete pod web-1' }).click();
  await page.getByTestId('play-pause').click();

  await expect(async () => {
    const after = await deploymentPods.evaluateAll((cards) => cards.map((card) => card.getAttribute('data-pod')));
    expect(after).toHaveLength(3);
    expect(after).not.toContain(before[0]);
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
  }).toPass({ timeout: 20_000 });
  await expect(web1.getByTestId('pod-status')).toHaveText('Running', { timeout: 20_000 });
  await expect(web1.getByTestId('pod-ip')).not.toHaveText(oldIp);
  await expect(web1.getByTestId('claim')).toContainText('data-web-1');
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3');
  await expect(summary).toContainText('READY 3/3');
});
