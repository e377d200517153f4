// Trunk post_build hook: Trunk injects one inline <script type="module"> that loads
// the wasm. Our Content-Security-Policy allows no inline script, so this writes the
// sha256 of each inline script into the CSP meta tag in place of CSP_SCRIPT_HASHES.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR || 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
if (!html.includes('CSP_SCRIPT_HASHES')) {
  console.error('csp-hash: no CSP_SCRIPT_HASHES placeholder in index.html');
  process.exit(1);
}
html = html.replaceAll('CSP_SCRIPT_HASHES', hashes.join(' '));
writeFileSync(file, html);
console.log(`csp-hash: allowed ${hashes.length} inline script(s)`);
