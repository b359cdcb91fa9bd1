// One way to bundle with @vercel/ncc, shared by scripts/build.mjs and bench/cold-start.mjs (whose
// @actions/core-only floor must be built exactly like the actions it is compared with).
import ncc from '@vercel/ncc';
import { minify } from 'terser';

// ncc minifies only the entry file: the chunks it splits off for dynamic imports stay as webpack printed
// them, three times the size, with every module function wrapped in parentheses, which V8 takes as a hint
// to compile it eagerly. And terser, as ncc calls it, keeps non-ASCII characters, which makes Node decode and
// V8 scan the whole file as two-byte text. And ncc turns terser's compressor off, so code webpack found
// unused but left in place (most of zod: its classes are marked pure for exactly this) is parsed at every
// start. So ncc bundles unminified and every JavaScript file it writes is minified here: compressed (dead
// code dropped), names kept for stack traces as ncc does, ASCII-only, without comments (ncc has already
// gathered the licences into licenses.txt). bench/cold-start.mjs shows the effect.
const TERSER = {
  module: true,
  compress: { keep_classnames: true, keep_fnames: true },
  mangle: { keep_classnames: true, keep_fnames: true },
  format: { ascii_only: true, comments: false },
};

/** Bundles `entry` (an ES module): `{ code, assets }` as ncc returns them, with the JavaScript minified. */
export async function bundle(entry, options = {}) {
  const { code, assets } = await ncc(entry, { ...options, minify: false, sourceMap: false, quiet: true });
  const minified = {};
  for (const [file, asset] of Object.entries(assets)) {
    minified[file] = file.endsWith('.js') ? { ...asset, source: await minifyJs(asset.source, file) } : asset;
  }
  return { code: await minifyJs(code, 'index.js'), assets: minified };
}

async function minifyJs(source, file) {
  const result = await minify(String(source), TERSER);
  if (result.code === undefined) throw new Error(`terser returned nothing for ${file}`);
  return result.code;
}
