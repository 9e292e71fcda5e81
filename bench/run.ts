/** npm run bench -- <name>: runs bench/<name>.bench.ts. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
const available = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''));
if (!name || !existsSync(join(__dirname, `${name}.bench.ts`))) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
void import(join(__dirname, `${name}.bench.ts`));
