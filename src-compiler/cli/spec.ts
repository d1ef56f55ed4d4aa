/** `FILE::FUNC` as the CLI takes it: the last `::` separates the function from the file. */
export function splitSpec(spec: string): { file: string; func?: string } {
  const i = spec.lastIndexOf('::');
  if (i < 0) return { file: spec };
  return { file: spec.slice(0, i), func: spec.slice(i + 2) || undefined };
}
