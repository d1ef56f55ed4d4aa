import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { replaceReadmeSection } from '../../src-compiler/docs/supported.ts';

describe('README', () => {
  it("its Supported Python section is the op registry's (run `npx kiln ops --write-readme`)", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    expect(replaceReadmeSection(readme)).toBe(readme);
  });
});
