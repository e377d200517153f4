// The first screen, as a learner opening the GitHub Pages link sees it.
import { test, expect, defaultManifest } from './fixtures.mjs';

test('the app mounts under a sub-path with the default manifest in the editor', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'StatefulSet Playground' })).toBeVisible();

  const editor = page.getByTestId('manifest-editor');
  await expect(editor).toHaveValue(defaultManifest());
  await expect(page.getByTestId('diagnostics')).toHaveText('2 objects: Service/visits, StatefulSet/web');

  // The regions the cluster, terminal and events will fill are laid out.
  await expect(page.getByTestId('cluster-view')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Terminal' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
});

test('all assets load from the page origin with relative URLs', async ({ page }) => {
  const loaded = [];
  page.on('requestfinished', (request) => loaded.push(new URL(request.url()).pathname));
  await page.goto('./');
  await expect(page.getByTestId('app')).toBeVisible();
  expect(loaded.some((p) => p.startsWith('/sts-playground/') && p.endsWith('.wasm'))).toBe(true);
  expect(loaded.every((p) => p.startsWith('/sts-playground/'))).toBe(true);
});

test('a YAML mistake is reported with its line and column', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  await editor.fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n bad: indent\n');
  await expect(page.getByTestId('diagnostics')).toHaveText(/^line 5 column \d+: /);
  await expect(page.getByTestId('diagnostics')).toHaveClass(/error/);
  // The keyboard reaches it too: Enter on the message puts the caret on line 5.
  await page.getByTestId('diagnostics').getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(editor).toBeFocused();
  const caretLine = await editor.evaluate((area) => area.value.slice(0, area.selectionStart).split('\n').length);
  expect(caretLine).toBe(5);
});

test('the editor colours the YAML and marks what the API server would refuse, as you type', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  // Syntax colouring: keys, strings, numbers told apart under the (transparent) textarea.
  await expect(page.locator('.highlight .k').first()).toHaveText('apiVersion');
  await expect(page.locator('.highlight .n', { hasText: '8080' }).first()).toBeVisible();
  await expect(page.getByTestId('diagnostic')).toHaveCount(0);

  // A value the YAML parser accepts but the API server refuses: found without pressing Apply.
  await editor.fill(defaultManifest().replace('replicas: 3', 'replicas: -1'));
  const problem = page.getByTestId('diagnostic');
  await expect(problem).toHaveText(/^line 21 column \d+: The StatefulSet "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
  await expect(page.locator('.gutter .marked')).toHaveText('21');
  await expect(page.locator('.highlight .bad')).toHaveCount(1);
  await expect(page.locator('.highlight .bad')).toContainText('-1');
  await expect(page.getByTestId('pod')).toHaveCount(0);

  // Clicking the problem puts the caret on that line.
  await editor.evaluate((area) => area.setSelectionRange(0, 0));
  await problem.click();
  await expect(editor).toBeFocused();
  const caretLine = await editor.evaluate((area) => area.value.slice(0, area.selectionStart).split('\n').length);
  expect(caretLine).toBe(21);

  // Fixing the text clears the marks.
  await editor.fill(defaultManifest());
  await expect(page.getByTestId('diagnostic')).toHaveCount(0);
  await expect(page.locator('.gutter .marked')).toHaveCount(0);
});

test('an update the API server forbids is flagged before Apply is pressed', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 15_000 });
  const editor = page.getByTestId('manifest-editor');
  await editor.fill(defaultManifest().replace('storage: 1Gi', 'storage: 2Gi'));
  await expect(page.getByTestId('diagnostic')).toContainText('spec: Forbidden: updates to statefulset spec for fields other than');
  await expect(page.locator('.gutter .marked')).toHaveCount(1);
});

test('Enter keeps the indentation, Tab indents, undo takes both back, Esc then Tab leaves', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  await editor.fill('spec:\n  template:');
  await editor.press('End');
  await editor.press('Enter');
  await editor.press('Tab');
  await editor.pressSequentially('x: 1');
  await expect(editor).toHaveValue('spec:\n  template:\n      x: 1');
  // The browser's own undo still works: the insertions were made as typing.
  for (let i = 0; i < 5 && (await editor.inputValue()) !== 'spec:\n  template:'; i++) await editor.press('Control+z');
  await expect(editor).toHaveValue('spec:\n  template:');
  await editor.press('Escape');
  await editor.press('Tab');
  await expect(editor).not.toBeFocused();
});

test('the editor text survives a reload', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  await expect(editor).toHaveValue(defaultManifest());
  const edited = defaultManifest().replace('replicas: 3', 'replicas: 5');
  await editor.fill(edited);
  await page.reload();
  await expect(page.getByTestId('manifest-editor')).toHaveValue(edited);
});

test('the theme switch toggles dark mode and remembers it', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('on a 360 px phone the panes stack and nothing overflows sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('./');
  await expect(page.getByTestId('manifest-editor')).toBeVisible();
  const editorBox = await page.getByTestId('manifest-editor').boundingBox();
  const clusterBox = await page.getByTestId('cluster-view').boundingBox();
  expect(clusterBox.y).toBeGreaterThan(editorBox.y);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('on a 1080p projector the editor and cluster sit side by side over the dock, in one screen', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./');
  await page.getByTestId('speed').selectOption('20000');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('statefulset')).toContainText('READY 3/3', { timeout: 20_000 });
  await page.getByTestId('present-toggle').click();
  const editor = await page.locator('.editor-pane').boundingBox();
  const cluster = await page.getByTestId('cluster-view').boundingBox();
  const dock = await page.getByTestId('dock').boundingBox();
  expect(cluster.x).toBeGreaterThan(editor.x + editor.width - 1);
  expect(Math.abs(cluster.y - editor.y)).toBeLessThan(2);
  expect(dock.y).toBeGreaterThan(cluster.y + cluster.height - 1);
  expect(dock.y + dock.height).toBeLessThanOrEqual(1080);
  // All three pod cards are in view without scrolling, in large type.
  for (const name of ['web-0', 'web-1', 'web-2']) await expect(page.locator(`[data-pod="${name}"]`)).toBeInViewport();
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.app')).fontSize))).toBeGreaterThanOrEqual(18);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test('the editor and the dock resize by dragging their corner', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./');
  const editorPane = page.locator('.editor-pane');
  const clusterPane = page.getByTestId('cluster-view');
  const before = await editorPane.boundingBox();
  const clusterBefore = await clusterPane.boundingBox();
  // The browser's resize handle sits in the pane's bottom-right corner.
  await page.mouse.move(before.x + before.width - 3, before.y + before.height - 3);
  await page.mouse.down();
  await page.mouse.move(before.x + before.width + 150, before.y + before.height - 3, { steps: 5 });
  await page.mouse.up();
  const after = await editorPane.boundingBox();
  expect(after.width).toBeGreaterThan(before.width + 100);
  expect((await clusterPane.boundingBox()).width).toBeLessThan(clusterBefore.width - 100);

  const dock = page.getByTestId('dock');
  const dockBefore = await dock.boundingBox();
  await page.mouse.move(dockBefore.x + dockBefore.width - 3, dockBefore.y + dockBefore.height - 3);
  await page.mouse.down();
  await page.mouse.move(dockBefore.x + dockBefore.width - 3, dockBefore.y + dockBefore.height + 120, { steps: 5 });
  await page.mouse.up();
  expect((await dock.boundingBox()).height).toBeGreaterThan(dockBefore.height + 80);
});

test('the keyboard resizes the editor and the dock too, and the sizes stay when the page redraws', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./');
  const editorPane = page.locator('.editor-pane');
  const width = (await editorPane.boundingBox()).width;
  const editorSplitter = page.getByRole('separator', { name: /Editor width/ });
  await editorSplitter.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  expect(Math.round((await editorPane.boundingBox()).width - width)).toBe(96);

  const dock = page.getByTestId('dock');
  const height = (await dock.boundingBox()).height;
  await page.getByRole('separator', { name: /Dock height/ }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  expect(Math.round((await dock.boundingBox()).height - height)).toBe(96);
  // Switching tabs redraws the dock: the size it was given stays.
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.getByRole('tab', { name: 'Terminal' }).click();
  expect(Math.round((await dock.boundingBox()).height - height)).toBe(96);
  expect(Math.round((await editorPane.boundingBox()).width - width)).toBe(96);
});
