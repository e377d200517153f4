// A panic in the wasm ends the program; the page must say so, keep the learner's
// manifest, log where it happened, and come back clean after a reload.
import { test, expect } from '@playwright/test';

test('a panic shows a banner with its message and place, and Reload starts afresh with the manifest kept', async ({ page }) => {
  const consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  await page.goto('./');
  const editor = page.getByTestId('manifest-editor');
  await expect(editor).toHaveValue(/StatefulSet/);
  const edited = (await editor.inputValue()).replace('replicas: 3', 'replicas: 2');
  expect(edited, 'the sample manifest has replicas: 3').not.toEqual(await editor.inputValue());
  await editor.fill(edited);

  // The test harness's own export (nothing in the page calls it) panics inside Rust.
  const thrown = await page.evaluate(() => {
    try {
      window.wasmBindings.playground_self_test_panic();
      return 'returned';
    } catch (error) {
      return String(error);
    }
  });
  expect(thrown).toContain('unreachable');

  const banner = page.getByTestId('crash-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner).toContainText('The playground stopped on an internal error.');
  await expect(banner).toContainText('self-test panic requested by the page');
  await expect(banner).toContainText('src/ui/crash.rs');
  const logged = consoleErrors.join('\n');
  expect(logged, 'the console has the message').toContain('self-test panic requested by the page');
  expect(logged, 'and where it happened').toMatch(/panicked at src\/ui\/crash\.rs:\d+:\d+/);

  await page.getByTestId('crash-reload').click();
  await expect(page.getByTestId('crash-banner')).toHaveCount(0);
  await expect(page.getByTestId('manifest-editor')).toHaveValue(edited);
  await expect(page.getByTestId('notice')).toContainText('The last visit stopped on an internal error');
  // And the mark is gone: a second reload is an ordinary one.
  await page.reload();
  await expect(page.getByTestId('manifest-editor')).toHaveValue(edited);
  await expect(page.getByTestId('notice')).toHaveCount(0);
});
