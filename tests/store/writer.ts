// One of the concurrent writers of tests/store/store.test.ts: records N builds, one transaction each.
import { openDb } from '../../src-compiler/store/db.ts';
import { recordBuild } from '../../src-compiler/store/builds.ts';

const [file, n, tag] = process.argv.slice(2);
const db = openDb(file);
for (let i = 0; i < Number(n); i++) {
  recordBuild(db, { file: `/p/${tag}.py`, functions: [`f_${tag}`], source: `${tag}${i}`, target: 'linux-x64', status: 'built', origin: 'cli' });
}
db.close();
process.stdout.write('done\n');
