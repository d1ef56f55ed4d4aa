import { describe } from 'vitest';
import { runUnderValgrind, withValgrind } from './valgrind-corpus.ts';

describe('scratch', () => {
  withValgrind('frames', async () => {
    await runUnderValgrind('/tmp/exc5/all.py', { cases: 5 });
  }, 900_000);
});
