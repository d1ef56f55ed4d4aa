/**
 * Which benchmark variants there are and how they are named: the base variants (CPython, Kiln, the
 * exported package, hand-written references, peers) and `kiln-<target>` for a harness run on another target.
 * Data only, so `kiln bench --help` can list them without loading how each one runs (variants.ts).
 */
import { TARGETS, getTarget, hostTargetId, type TargetInfo } from '../targets/registry.ts';
import type { RunnerKind } from '../run/runners.ts';

export type BaseVariantId = 'cpython' | 'kiln-native' | 'kiln-ctypes' | 'c-ref' | 'rust-ref' | 'numba' | 'pythran' | 'cython';
/**
 * A variant id: one of the base variants, or `kiln-<target id>` (the compiled function in a harness built
 * for another target: `kiln-wasm32` under Node's WASI, `kiln-linux-arm64` under qemu-user).
 */
export type VariantId = BaseVariantId | `kiln-${string}`;

export const VARIANTS: { id: BaseVariantId; label: string; description: string }[] = [
  { id: 'cpython', label: 'CPython', description: 'the original Python function under CPython' },
  { id: 'kiln-native', label: 'Kiln', description: 'the Kiln-compiled function called from the native harness (no interpreter in the loop)' },
  // The id stays 'kiln-ctypes' (stored runs use it); it is now the exported package, whichever path it takes.
  { id: 'kiln-ctypes', label: 'Kiln via Python', description: "the exported Python package called from Python (its CPython extension for scalar functions, else ctypes): what a Python user pays per call" },
  { id: 'c-ref', label: 'C', description: 'a hand-written C reference, same harness, compiler and flags' },
  { id: 'rust-ref', label: 'Rust', description: 'a hand-written Rust reference (cargo --release --offline), same harness' },
  { id: 'numba', label: 'Numba', description: 'numba.njit on the same Python source' },
  { id: 'pythran', label: 'Pythran', description: 'the same Python source compiled by pythran' },
  { id: 'cython', label: 'Cython', description: 'the same Python source compiled by cython3 (annotations only, no cdef)' },
];

// ---- other targets ------------------------------------------------------------------------------

/** The target of a `kiln-<target>` variant, or undefined for the base variants. */
export function variantTarget(id: string): TargetInfo | undefined {
  if (!id.startsWith('kiln-') || VARIANTS.some((v) => v.id === id)) return undefined;
  return getTarget(id.slice('kiln-'.length));
}

export const targetVariantId = (target: string): VariantId => `kiln-${target}`;

/** How a target's harness runs here: emulated (qemu-user), wasm under Node, Wine, or native. */
export function targetRunnerKind(t: TargetInfo): RunnerKind | undefined {
  if (!t.harness) return undefined;
  return t.id === hostTargetId() ? 'native' : t.harness.runner;
}

/**
 * The label says where the time comes from, so nobody reads an emulated time as native:
 * "Kiln wasm32 (wasm, Node)", "Kiln linux-arm64 (emulated)", "Kiln windows-x64 (Wine)".
 */
export function targetVariantLabel(t: TargetInfo): string {
  switch (targetRunnerKind(t)) {
    case 'node-wasi': return `Kiln ${t.id} (wasm, Node)`;
    case 'qemu-user': return `Kiln ${t.id} (emulated)`;
    case 'wine': return `Kiln ${t.id} (Wine)`;
    default: return `Kiln ${t.id}`;
  }
}

/** True when a variant's time is not native time on this machine (never compared with native variants). */
export function variantIsEmulated(id: string): boolean {
  const t = variantTarget(id);
  return !!t && targetRunnerKind(t) !== 'native';
}

/** Targets whose harness can be benchmarked on some machine (it has a runner), other than the host's own. */
export function benchableTargets(): TargetInfo[] {
  return TARGETS.filter((t) => t.harness && t.id !== hostTargetId());
}

export const isVariantId = (id: string): id is VariantId => VARIANTS.some((v) => v.id === id) || !!variantTarget(id)?.harness;

export const variantLabel = (id: VariantId) => {
  const t = variantTarget(id);
  return t ? targetVariantLabel(t) : VARIANTS.find((v) => v.id === id)?.label ?? id;
};
