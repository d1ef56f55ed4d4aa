/** The machine a benchmark ran on, recorded with every run so results from two machines are never mixed up. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs the OS reports. */
  cores: number;
  arch: string;
  /** e.g. "Linux 6.1.0-18-amd64" */
  os: string;
  /** A human name for the OS when known (from /etc/os-release), e.g. "Debian GNU/Linux 12 (bookworm)". */
  osName?: string;
  memoryGiB: number;
  node: string;
  /** CPU frequency scaling governor when Linux exposes it ("performance", "powersave", ...). */
  governor?: string;
  /** Hash of the stable fields (cpu, cores, arch, os, hostname), for grouping runs by machine. */
  machineId: string;
}

function readOsName(): string | undefined {
  try {
    const text = fs.readFileSync('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
    return m?.[1];
  } catch {
    return undefined;
  }
}

function readGovernor(): string | undefined {
  try {
    return fs.readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const cpuModel = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const cores = cpus.length || os.availableParallelism?.() || 1;
  const info: Omit<MachineInfo, 'machineId'> = {
    cpuModel, cores, arch: os.arch(), os: `${os.type()} ${os.release()}`, osName: readOsName(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.version, governor: readGovernor(),
  };
  const machineId = crypto.createHash('sha256').update([cpuModel, cores, info.arch, info.os, os.hostname()].join('\0')).digest('hex').slice(0, 16);
  return { ...info, machineId };
}

/** One line for a table's caption: "AMD EPYC, 2 cores, x86_64 Linux 6.1 (Debian 12), 23.4 GiB". */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} core${m.cores === 1 ? '' : 's'}, ${m.arch}, ${m.osName ? `${m.osName}, ` : ''}${m.os}, ${m.memoryGiB} GiB RAM, Node ${m.node}${m.governor ? `, governor ${m.governor}` : ''}`;
}
