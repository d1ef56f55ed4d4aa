/** Types of scripts/build-cli.mjs (the CLI bundle's builder), for the TypeScript tests that import it. */
export const MANIFEST: string;
/** esbuild's options for the CLI bundle. */
export function cliBuildOptions(): Record<string, unknown>;
/** Builds dist/cli; false (with the reason on stderr) when esbuild is missing. */
export function buildCli(options?: { quiet?: boolean }): Promise<boolean>;
/** Whether dist/cli is newer than every source it was built from. */
export function cliIsCurrent(base?: string): boolean;
