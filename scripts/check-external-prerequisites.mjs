// Run by `npm run test:external` before its tests: each missing prerequisite is one line on
// stderr and the run fails, so a machine without them never passes by skipping.
import { accessSync, constants, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const missing = [];
if (!existsSync(corpus)) {
  missing.push(`the real-world corpus is missing at ${corpus}: put the shared corpus there (CI keeps it in ../shared beside the clone)`);
}
if (!executable(chromium)) {
  missing.push(`Chromium is missing at ${chromium}: apt-get install chromium (Debian), or set CHROMIUM_PATH to a Chromium binary`);
}
for (const m of missing) process.stderr.write(`test:external: ${m}\n`);
process.exitCode = missing.length ? 1 : 0;
