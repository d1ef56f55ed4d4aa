/**
 * Helpers of the benchmark charts: variant colours, time formatting, log-axis ticks, and saving a chart
 * (SVG with its styles inlined, or PNG drawn on a canvas here in the renderer) or a run (CSV / JSON) as a download.
 */
export const VARIANT_COLORS: Record<string, string> = {
  cpython: '#3b6fb6',
  'kiln-native': '#d9480f',
  'kiln-ctypes': '#e8a33d',
  'c-ref': '#2f9e6a',
  'rust-ref': '#8b5cf6',
  numba: '#0ea5e9',
  pythran: '#db2777',
  cython: '#64748b',
  // Other targets (not native time): muted colours.
  'kiln-wasm32': '#a78bfa',
  'kiln-linux-arm64': '#94a3b8',
  'kiln-linux-armv7': '#a8a29e',
  'kiln-linux-riscv64-musl': '#9ca3af',
};
export const variantColor = (v: string) => VARIANT_COLORS[v] ?? '#677080';

/** Nanoseconds as a short human time: 512 ps, 23.6 ns, 1.20 us, 3.4 ms, 1.25 s. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  const f = (v: number, u: string) => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${u}`;
  if (a < 1) return f(ns * 1000, 'ps');
  if (a < 1e3) return f(ns, 'ns');
  if (a < 1e6) return f(ns / 1e3, 'µs');
  if (a < 1e9) return f(ns / 1e6, 'ms');
  return f(ns / 1e9, 's');
}

export function fmtCount(x: number): string {
  if (x >= 1000 && Number.isInteger(Math.log10(x))) return `1e${Math.log10(x)}`;
  return x.toLocaleString('en-US');
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return r >= 100 ? `${Math.round(r).toLocaleString('en-US')}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** Powers of ten between lo and hi (inclusive), at least two. */
export function decades(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const out: number[] = [];
  for (let e = a; e <= Math.max(b, a + 1); e++) out.push(10 ** e);
  return out;
}

const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility'];

/** The chart as a standalone SVG document: computed styles inlined, a background, interactive-only parts left out. */
export function svgDocument(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const d = dst[i] as SVGElement;
    d.setAttribute('style', STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
    d.removeAttribute('class');
  });
  for (const el of clone.querySelectorAll('[data-export="skip"]')) el.remove();
  const w = svg.viewBox.baseVal?.width || svg.clientWidth;
  const h = svg.viewBox.baseVal?.height || svg.clientHeight;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).getPropertyValue('--panel').trim() || '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

function download(href: string, filename: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function saveText(text: string, filename: string, mime: string) {
  download(`data:${mime};base64,${toBase64(text)}`, filename);
}

export function saveSvg(svg: SVGSVGElement, filename: string) {
  saveText(svgDocument(svg), filename, 'image/svg+xml');
}

/** Draws the chart's SVG on a canvas (2x for sharpness) and saves it as PNG. */
export async function savePng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const doc = svgDocument(svg);
  const w = Number(/width="([\d.]+)"/.exec(doc.slice(doc.indexOf('<svg')))?.[1] ?? svg.clientWidth);
  const h = Number(/height="([\d.]+)"/.exec(doc.slice(doc.indexOf('<svg')))?.[1] ?? svg.clientHeight);
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    img.src = `data:image/svg+xml;base64,${toBase64(doc)}`;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  download(canvas.toDataURL('image/png'), filename);
}
