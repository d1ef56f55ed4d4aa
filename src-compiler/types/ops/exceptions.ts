/**
 * Exceptions: what an except clause reads of the exception it caught (lower/c_exceptions.ts lowers try itself).
 * A caught exception is held as a tuple (kind, str(e)): its kind is the C runtime's (lower/abi.ts EXCEPTION_KINDS),
 * its message a str. The tracer turns `str(e)`, `f"{e}"`, `type(e).__name__` and `raise e` into reads of it.
 */
import { T } from '../types.ts';
import { call, type OpDef, type OpDomain, type OpFacts } from './common.ts';

const HEADERS: OpFacts = { headers: ['kiln_exceptions.h'] };
const CAUGHT = T.tuple([T.int, T.str]);

const ops: OpDef[] = [
  {
    target: 'kiln.exc_caught', python: 'except ... as e', signatures: ['-> (kind, str(e))'], facts: HEADERS,
    resolve(args) {
      if (args.length) return 'internal: kiln.exc_caught takes no arguments';
      return { result: CAUGHT, argTypes: [], lower: call((_, out) => `kr_exc_caught(&${out}.f0, &${out}.f1)`) };
    },
  },
  {
    target: 'kiln.exc_name', python: 'type(e).__name__', signatures: ['kind -> str'], facts: HEADERS,
    resolve(args) {
      if (args.length !== 1) return 'internal: kiln.exc_name takes the kind';
      return { result: T.str, argTypes: [T.int], lower: call((a, out) => `kr_exc_class_name(${a[0]}, &${out})`) };
    },
  },
];

export const exceptions: OpDomain = { name: 'exceptions', title: 'Exceptions', ops };
