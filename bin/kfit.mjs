#!/usr/bin/env node
// The kfit command: runs the bundle that `npm run build` (and `npm ci`, through `prepare`) writes.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/kfit.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(`kfit: ${bundle} is missing; run \`npm run build\` in the kfit checkout first\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
