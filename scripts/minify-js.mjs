// Trunk post_build hook: minifies wasm-bindgen's JS glue with terser, and writes
// its new sha384 into the page's integrity attribute. Trunk's own minifier gives
// up on the glue (`Failed to minify JS: RequiredTokenNotFound(Identifier)` at its
// `export default`), so it shipped as written: 8.7 KiB gzip, 6.5 minified.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const names = readdirSync(dir);
for (const script of names.filter((name) => name.endsWith('.js'))) {
  const file = join(dir, script);
  const before = readFileSync(file, 'utf8');
  const { code } = await minify(before, { module: true, compress: true, mangle: true });
  writeFileSync(file, code);
  const integrity = `sha384-${createHash('sha384').update(code, 'utf8').digest('base64')}`;
  for (const page of names.filter((name) => name.endsWith('.html'))) {
    const path = join(dir, page);
    const html = readFileSync(path, 'utf8');
    const updated = html.replace(
      new RegExp(`(<link[^>]*href="?\\./${script.replace(/[.]/g, '\\.')}"?[^>]*integrity="?)sha384-[A-Za-z0-9+/=]+`),
      `$1${integrity}`,
    );
    if (updated !== html) writeFileSync(path, updated);
  }
  console.log(`minify-js: ${script} ${before.length} -> ${code.length} bytes`);
}
