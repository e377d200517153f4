// Trunk post_build hook: Trunk injects one inline <script type="module"> that loads
// the wasm. Our Content-Security-Policy allows no inline script, so this writes the
// sha256 of each inline script into the CSP meta tag in place of CSP_SCRIPT_HASHES,
// in the page Trunk just built (index.html, or helm.html for the build with Helm).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const pages = readdirSync(dir).filter((name) => name.endsWith('.html'));
let done = 0;
for (const page of pages) {
  const file = join(dir, page);
  let html = readFileSync(file, 'utf8');
  if (!html.includes('CSP_SCRIPT_HASHES')) continue;
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  html = html.replaceAll('CSP_SCRIPT_HASHES', hashes.join(' '));
  writeFileSync(file, html);
  console.log(`csp-hash: ${page} allows ${hashes.length} inline script(s)`);
  done += 1;
}
if (done === 0) {
  console.error(`csp-hash: no page in ${dir} has the CSP_SCRIPT_HASHES placeholder`);
  process.exit(1);
}
