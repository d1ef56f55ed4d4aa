// Runs a WASI command module (a Kiln harness built for wasm32-wasi) under Node's own WebAssembly
// runtime: stdin, stdout and stderr are this process's. Usage: node wasi-runner.mjs module.wasm [args...]
import fs from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, preopens: {}, returnOnExit: true });
const module = await WebAssembly.compile(fs.readFileSync(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
