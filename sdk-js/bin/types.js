#!/usr/bin/env node
// Regenerates types/<world>/ (TypeScript declarations of each world's
// imports and exports) from the contract, wit/plugin.wit:
//   node bin/types.js [--check]
// --check fails when the committed declarations differ from what the WIT
// gives (the SDK's tests run it).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sdk = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wit = resolve(process.env.WEFT_WIT ?? join(sdk, '..', 'wit'), 'plugin.wit');
const check = process.argv.includes('--check');

// jco runs its WIT tools under the WASI shim it depends on, which grants no
// directories unless told: give it the file system for this run.
const transpile = createRequire(join(sdk, 'node_modules/@bytecodealliance/jco-transpile/package.json'));
const shimFs = transpile.resolve('@bytecodealliance/preview2-shim/filesystem');
const { _setPreopens } = await import(pathToFileURL(shimFs).href);
_setPreopens({ '/': '/' });
const { generateGuestTypes } = await import('@bytecodealliance/jco-transpile');

let stale = [];
for (const world of ['source', 'transform', 'sink']) {
  const files = await generateGuestTypes(wit, { worldName: world, outDir: '' });
  const dir = join(sdk, 'types', world);
  if (!check) await rm(dir, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    if (check) {
      const have = await readFile(path, 'utf8').catch(() => null);
      if (have !== Buffer.from(text).toString('utf8')) stale.push(path);
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
  }
}
if (stale.length) {
  console.error(`stale: ${stale.join(', ')}; run node sdk-js/bin/types.js`);
  process.exit(1);
}
