// Shared fixture: every test fails on a console error, an uncaught exception
// (a wasm panic surfaces as one) or any request that leaves the page's origin.
import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL).origin;
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) {
        return route.continue();
      }
      problems.push(`request to another origin: ${url}`);
      return route.abort();
    });
    await use(page);
    expect(problems, 'no console errors, uncaught exceptions or foreign requests').toEqual([]);
  },
});

export { expect };

/** Types a line in the terminal and presses Enter, as a learner would. */
export async function run(page, line) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
}

/** The default manifest, read from the Rust source so the two cannot drift. */
export function defaultManifest() {
  const source = readFileSync(new URL('../../src/session/samples.rs', import.meta.url), 'utf8');
  const match = source.match(/DEFAULT_MANIFEST: &str = r#"([\s\S]*?)"#;/);
  if (!match) throw new Error('DEFAULT_MANIFEST not found in src/session/samples.rs');
  return match[1];
}
