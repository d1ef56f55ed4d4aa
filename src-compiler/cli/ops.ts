/** `kiln ops`: what Kiln compiles, from the op registry. `--write-readme` refreshes the README section. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { KILN_ROOT } from '../paths.ts';

export function register(program: Command) {
  program
    .command('ops')
    .description('list the supported Python operations (from the op registry)')
    .option('--markdown', 'print the Markdown section used in the README')
    .option('--write-readme', "rewrite the README's generated section")
    .action(async (o: { markdown?: boolean; writeReadme?: boolean }) => {
      const [{ OPS }, { replaceReadmeSection, supportedPythonMarkdown }] = await Promise.all([import('../types/ops/index.ts'), import('../docs/supported.ts')]);
      if (o.writeReadme) {
        const file = path.join(KILN_ROOT, 'README.md');
        fs.writeFileSync(file, replaceReadmeSection(fs.readFileSync(file, 'utf8')));
        process.stdout.write(`updated ${file}\n`);
        return;
      }
      if (o.markdown) {
        process.stdout.write(`${supportedPythonMarkdown()}\n`);
        return;
      }
      for (const op of OPS) process.stdout.write(`${op.python.padEnd(22)} ${op.target.padEnd(22)} ${op.signatures.join('; ')}\n`);
    });
}
