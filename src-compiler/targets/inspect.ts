/**
 * Reading a built file's header: its format, architecture, kind and exported symbols, for targets this
 * machine cannot execute (macOS, iOS, Android, Windows on ARM) and for every export's manifest.
 * Small readers for ELF, Mach-O, PE/COFF, WebAssembly and ar archives; little-endian only (all Kiln targets).
 */
import fs from 'node:fs';

export type BinaryFormat = 'elf' | 'macho' | 'pe' | 'wasm' | 'ar' | 'unknown';

export interface BinaryInfo {
  format: BinaryFormat;
  /** x86_64, aarch64, arm, riscv64, wasm32, x86 ... */
  arch?: string;
  bits?: 32 | 64;
  kind?: 'shared' | 'executable' | 'object' | 'archive' | 'module';
  /** Mach-O LC_BUILD_VERSION platform (macos, ios, ...); ELF OS ABI; PE subsystem. */
  platform?: string;
  /** Exported (global, defined) symbol names, without Mach-O's leading underscore. */
  exports: string[];
  /** Imported module names (wasm) or needed libraries (ELF DT_NEEDED is not read: kept small). */
  imports?: string[];
  /** ELF float ABI for 32-bit ARM: 'hard' or 'soft'. */
  floatAbi?: 'hard' | 'soft';
  members?: BinaryInfo[];
}

const ELF_MACHINES: Record<number, string> = { 3: 'x86', 40: 'arm', 62: 'x86_64', 183: 'aarch64', 243: 'riscv64', 8: 'mips' };
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x86_64', 0x0100000c: 'aarch64', 7: 'x86', 12: 'arm' };
const MACHO_PLATFORMS: Record<number, string> = { 1: 'macos', 2: 'ios', 3: 'tvos', 4: 'watchos', 6: 'maccatalyst', 7: 'ios-simulator' };
const PE_MACHINES: Record<number, string> = { 0x8664: 'x86_64', 0xaa64: 'aarch64', 0x14c: 'x86', 0x1c4: 'arm' };

function cstr(b: Buffer, off: number): string {
  let end = off;
  while (end < b.length && b[end] !== 0) end++;
  return b.toString('latin1', off, end);
}

export function inspectFile(file: string): BinaryInfo {
  return inspectBuffer(fs.readFileSync(file));
}

export function inspectBuffer(b: Buffer): BinaryInfo {
  if (b.length >= 4 && b.readUInt32BE(0) === 0x7f454c46) return readElf(b);
  if (b.length >= 4 && (b.readUInt32LE(0) === 0xfeedfacf || b.readUInt32LE(0) === 0xfeedface)) return readMachO(b);
  if (b.length >= 2 && b.toString('latin1', 0, 2) === 'MZ') return readPe(b);
  if (b.length >= 8 && b.readUInt32BE(0) === 0x0061736d) return readWasm(b);
  if (b.length >= 8 && b.toString('latin1', 0, 8) === '!<arch>\n') return readAr(b);
  return { format: 'unknown', exports: [] };
}

function readElf(b: Buffer): BinaryInfo {
  const is64 = b[4] === 2;
  const type = b.readUInt16LE(16);
  const machine = b.readUInt16LE(18);
  const info: BinaryInfo = {
    format: 'elf', bits: is64 ? 64 : 32, arch: ELF_MACHINES[machine] ?? `elf-machine-${machine}`,
    kind: type === 1 ? 'object' : type === 2 ? 'executable' : type === 3 ? 'shared' : undefined, exports: [],
    platform: b[7] === 3 ? 'linux' : b[7] === 0 ? 'sysv' : `osabi-${b[7]}`,
  };
  const flags = b.readUInt32LE(is64 ? 48 : 36);
  if (machine === 40) info.floatAbi = flags & 0x400 ? 'hard' : 'soft';
  const shoff = is64 ? Number(b.readBigUInt64LE(40)) : b.readUInt32LE(32);
  const shentsize = b.readUInt16LE(is64 ? 58 : 46);
  const shnum = b.readUInt16LE(is64 ? 60 : 48);
  const sections = Array.from({ length: shnum }, (_, i) => {
    const o = shoff + i * shentsize;
    return is64
      ? {
        type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 24)), size: Number(b.readBigUInt64LE(o + 32)), link: b.readUInt32LE(o + 40),
        entsize: Number(b.readBigUInt64LE(o + 56)),
      }
      : {
        type: b.readUInt32LE(o + 4), offset: b.readUInt32LE(o + 16), size: b.readUInt32LE(o + 20), link: b.readUInt32LE(o + 24),
        entsize: b.readUInt32LE(o + 36),
      };
  });
  // Shared libraries and executables: the dynamic symbol table; objects: the static one.
  const want = info.kind === 'object' ? 2 : 11;
  const symtab = sections.find((s) => s.type === want) ?? sections.find((s) => s.type === 2);
  if (symtab && symtab.entsize) {
    const strtab = sections[symtab.link];
    for (let i = 1; i < symtab.size / symtab.entsize; i++) {
      const o = symtab.offset + i * symtab.entsize;
      const name = b.readUInt32LE(o);
      const infoByte = is64 ? b[o + 4] : b[o + 12];
      const other = is64 ? b[o + 5] : b[o + 13];
      const shndx = is64 ? b.readUInt16LE(o + 6) : b.readUInt16LE(o + 14);
      const bind = infoByte >> 4;
      const visibility = other & 3;
      if ((bind === 1 || bind === 2) && shndx !== 0 && (visibility === 0 || visibility === 3)) info.exports.push(cstr(b, strtab.offset + name));
    }
  }
  info.exports.sort();
  return info;
}

function readMachO(b: Buffer): BinaryInfo {
  const is64 = b.readUInt32LE(0) === 0xfeedfacf;
  const cpu = b.readUInt32LE(4);
  const filetype = b.readUInt32LE(12);
  const ncmds = b.readUInt32LE(16);
  const info: BinaryInfo = {
    format: 'macho', bits: is64 ? 64 : 32, arch: MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`,
    kind: filetype === 1 ? 'object' : filetype === 2 ? 'executable' : filetype === 6 ? 'shared' : undefined, exports: [],
  };
  let off = is64 ? 32 : 28;
  for (let i = 0; i < ncmds; i++) {
    const cmd = b.readUInt32LE(off);
    const size = b.readUInt32LE(off + 4);
    if (cmd === 0x32) info.platform = MACHO_PLATFORMS[b.readUInt32LE(off + 8)] ?? `platform-${b.readUInt32LE(off + 8)}`;
    if (cmd === 0x24 && !info.platform) info.platform = 'macos'; // LC_VERSION_MIN_MACOSX
    if (cmd === 0x25 && !info.platform) info.platform = 'ios'; // LC_VERSION_MIN_IPHONEOS
    if (cmd === 0x2) {
      const symoff = b.readUInt32LE(off + 8), nsyms = b.readUInt32LE(off + 12), stroff = b.readUInt32LE(off + 16);
      const ent = is64 ? 16 : 12;
      for (let k = 0; k < nsyms; k++) {
        const o = symoff + k * ent;
        const strx = b.readUInt32LE(o);
        const type = b[o + 4];
        const N_EXT = 0x01, N_TYPE = 0x0e, N_SECT = 0x0e, N_STAB = 0xe0;
        if (type & N_STAB) continue;
        if (type & N_EXT && (type & N_TYPE) === N_SECT) info.exports.push(cstr(b, stroff + strx).replace(/^_/, ''));
      }
    }
    off += size;
  }
  info.exports.sort();
  return info;
}

function readPe(b: Buffer): BinaryInfo {
  const pe = b.readUInt32LE(0x3c);
  if (b.readUInt32BE(pe) !== 0x50450000) return { format: 'unknown', exports: [] };
  const coff = pe + 4;
  const machine = b.readUInt16LE(coff);
  const nsections = b.readUInt16LE(coff + 2);
  const optSize = b.readUInt16LE(coff + 16);
  const characteristics = b.readUInt16LE(coff + 18);
  const opt = coff + 20;
  const is64 = b.readUInt16LE(opt) === 0x20b;
  const subsystem = b.readUInt16LE(opt + 68);
  const info: BinaryInfo = {
    format: 'pe', bits: is64 ? 64 : 32, arch: PE_MACHINES[machine] ?? `pe-machine-${machine}`,
    kind: characteristics & 0x2000 ? 'shared' : 'executable', exports: [], platform: subsystem === 3 ? 'windows-console' : subsystem === 2 ? 'windows-gui' : `windows-subsystem-${subsystem}`,
  };
  const dataDirs = opt + (is64 ? 112 : 96);
  const exportRva = b.readUInt32LE(dataDirs);
  const sectionTable = opt + optSize;
  const sections = Array.from({ length: nsections }, (_, i) => {
    const o = sectionTable + i * 40;
    return { va: b.readUInt32LE(o + 12), vsize: b.readUInt32LE(o + 8), raw: b.readUInt32LE(o + 20), rawSize: b.readUInt32LE(o + 16) };
  });
  const toOff = (rva: number) => {
    const s = sections.find((x) => rva >= x.va && rva < x.va + Math.max(x.vsize, x.rawSize));
    return s ? rva - s.va + s.raw : -1;
  };
  if (exportRva) {
    const ed = toOff(exportRva);
    const nnames = b.readUInt32LE(ed + 24);
    const names = toOff(b.readUInt32LE(ed + 32));
    for (let i = 0; i < nnames; i++) info.exports.push(cstr(b, toOff(b.readUInt32LE(names + i * 4))));
  }
  info.exports.sort();
  return info;
}

function readLeb(b: Buffer, off: number): [number, number] {
  let result = 0, shift = 0, byte;
  do {
    byte = b[off++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, off];
}

function readWasm(b: Buffer): BinaryInfo {
  const info: BinaryInfo = { format: 'wasm', arch: 'wasm32', bits: 32, kind: 'module', exports: [], imports: [] };
  let off = 8;
  const imports = new Set<string>();
  let hasStart = false;
  while (off < b.length) {
    const id = b[off++];
    let size;
    [size, off] = readLeb(b, off);
    const end = off + size;
    if (id === 2 || id === 7) {
      let n, p = off;
      [n, p] = readLeb(b, p);
      for (let i = 0; i < n; i++) {
        let len;
        [len, p] = readLeb(b, p);
        const name = b.toString('utf8', p, p + len);
        p += len;
        if (id === 2) {
          [len, p] = readLeb(b, p);
          const field = b.toString('utf8', p, p + len);
          p += len;
          const kind = b[p++];
          imports.add(`${name}.${field}`);
          if (kind === 0) [, p] = readLeb(b, p);
          else if (kind === 1) { p++; const flags = b[p++]; [, p] = readLeb(b, p); if (flags & 1) [, p] = readLeb(b, p); }
          else if (kind === 2) { const flags = b[p++]; [, p] = readLeb(b, p); if (flags & 1) [, p] = readLeb(b, p); }
          else if (kind === 3) p += 2;
        } else {
          const kind = b[p++];
          [, p] = readLeb(b, p);
          if (kind === 0) info.exports.push(name);
          if (name === '_start') hasStart = true;
        }
      }
    }
    off = end;
  }
  info.imports = [...imports].sort();
  info.exports.sort();
  info.kind = hasStart ? 'executable' : 'module';
  return info;
}

function readAr(b: Buffer): BinaryInfo {
  const info: BinaryInfo = { format: 'ar', kind: 'archive', exports: [], members: [] };
  let off = 8;
  while (off + 60 <= b.length) {
    let name = b.toString('latin1', off, off + 16).trimEnd();
    const size = Number(b.toString('latin1', off + 48, off + 58).trim());
    let data = b.subarray(off + 60, off + 60 + size);
    if (name.startsWith('#1/')) {
      const n = Number(name.slice(3));
      name = cstr(data.subarray(0, n), 0);
      data = data.subarray(n);
    }
    // Members: every entry but the symbol tables and GNU's table of long names ('//').
    if (name !== '//' && name !== '/' && name !== '/SYM64/' && !name.startsWith('__.SYMDEF')) {
      const member = inspectBuffer(Buffer.from(data));
      info.members!.push(member);
      info.exports.push(...member.exports);
      info.arch ??= member.arch;
      info.bits ??= member.bits;
      info.platform ??= member.platform;
      info.floatAbi ??= member.floatAbi;
    }
    off += 60 + size + (size % 2);
  }
  info.exports.sort();
  return info;
}
