/**
 * Checks that a run's `report.html` renders in headless Chromium (Debian `chromium`) and looks
 * like a report: Chromium parses every chart and image, the screenshot is neither blank nor
 * broken, and the page references nothing outside itself.
 *
 *   node --import tsx bench/check-report.ts runs/quickstart [--screenshot shot.png]
 *
 * Prints one JSON line with what was measured; exits 1 when a check fails, 2 without Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

/** An 8-bit RGBA image. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA; every filter type). */
export function decodePng(png: Uint8Array): Rgba {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 8 || sig.some((b, i) => png[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let colourType = 0;
  const idat: Uint8Array[] = [];
  for (let o = 8; o + 8 <= png.length; ) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const body = png.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs are supported');
      colourType = body[9]!;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType];
  if (!channels) throw new Error(`unsupported PNG colour type ${colourType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pix = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pix.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pix.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels]! : 0;
      const b = up[i]!;
      const c = i >= channels ? up[i - channels]! : 0;
      let p = src[i]!;
      if (filter === 1) p += a;
      else if (filter === 2) p += b;
      else if (filter === 3) p += (a + b) >> 1;
      else if (filter === 4) {
        const q = a + b - c;
        const pa = Math.abs(q - a);
        const pb = Math.abs(q - b);
        const pc = Math.abs(q - c);
        p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[i] = p & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = pix.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, al] = channels === 1 ? [s[0]!, s[0]!, s[0]!, 255] : channels === 2 ? [s[0]!, s[0]!, s[0]!, s[1]!] : [s[0]!, s[1]!, s[2]!, channels === 4 ? s[3]! : 255];
    data.set([r, g, b, al], i * 4);
  }
  return { width, height, data };
}

/** The Chromium binary, or null when none is installed. */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/** What {@link checkReport} measured. */
export interface ReportCheck {
  readonly ok: boolean;
  readonly failures: string[];
  /** Charts (`<svg>`) and images (`<img>`) in the page source and in Chromium's DOM. */
  readonly svgInSource: number;
  readonly svgInDom: number;
  readonly imgInSource: number;
  readonly imgInDom: number;
  /** Share of the screenshot that is not white, and distinct colours (4 bits per channel). */
  readonly inkFraction: number;
  readonly colours: number;
  readonly screenshot: { width: number; height: number };
}

function chromium(bin: string, args: string[]): { stdout: string; status: number | null; stderr: string } {
  const profile = mkdtempSync(join(tmpdir(), 'deepclust-chromium-'));
  try {
    return spawnSync(bin, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Renders `<runDir>/report.html` in headless Chromium and checks it.
 * @param screenshotPath - where to keep the screenshot (default: a temporary file, removed)
 */
export function checkReport(runDir: string, bin: string, screenshotPath?: string): ReportCheck {
  const html = resolve(runDir, 'report.html');
  if (!existsSync(html)) throw new Error(`no report.html in '${runDir}'`);
  const source = readFileSync(html, 'utf8');
  const failures: string[] = [];
  // Self-contained: no scripts and no external references (the SVG namespace URIs are not fetched).
  if (/<script/i.test(source)) failures.push('the page has a <script>');
  const external = source.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+|url\(\s*["']?https?:[^)]+\)|@import/gi);
  if (external) failures.push(`external references: ${external.slice(0, 3).join(', ')}`);
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
  const svgInSource = count(source, /<svg[\s>]/g);
  const imgInSource = count(source, /<img[\s>]/g);

  const dom = chromium(bin, ['--dump-dom', `file://${html}`]);
  if (dom.status !== 0) failures.push(`chromium --dump-dom exited ${dom.status}`);
  const svgInDom = count(dom.stdout, /<svg[\s>]/g);
  const imgInDom = count(dom.stdout, /<img[\s>]/g);
  if (svgInDom !== svgInSource) failures.push(`Chromium's DOM has ${svgInDom} charts, the source ${svgInSource}`);
  if (imgInDom !== imgInSource) failures.push(`Chromium's DOM has ${imgInDom} images, the source ${imgInSource}`);
  if (!/<h1>/.test(dom.stdout)) failures.push('no title in the rendered DOM');

  const tmp = mkdtempSync(join(tmpdir(), 'deepclust-shot-'));
  const shot = screenshotPath ? resolve(screenshotPath) : join(tmp, 'report.png');
  const width = 1200;
  const height = 6000;
  const r = chromium(bin, [`--window-size=${width},${height}`, `--screenshot=${shot}`, `file://${html}`]);
  let inkFraction = 0;
  let colours = 0;
  let size = { width: 0, height: 0 };
  if (r.status !== 0 || !existsSync(shot)) failures.push(`chromium --screenshot failed (exit ${r.status})`);
  else {
    const img = decodePng(readFileSync(shot));
    size = { width: img.width, height: img.height };
    let ink = 0;
    const seen = new Set<number>();
    for (let i = 0; i < img.width * img.height; i++) {
      const [red, g, b] = [img.data[i * 4]!, img.data[i * 4 + 1]!, img.data[i * 4 + 2]!];
      if (red < 245 || g < 245 || b < 245) ink++;
      seen.add(((red >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    }
    inkFraction = ink / (img.width * img.height);
    colours = seen.size;
    // A blank or failed page is nearly all white (or all one colour); a report has charts in ten colours.
    if (inkFraction < 0.02) failures.push(`the screenshot is almost blank (${(100 * inkFraction).toFixed(2)} % ink)`);
    if (inkFraction > 0.7) failures.push(`the screenshot is mostly ink (${(100 * inkFraction).toFixed(1)} %): a broken page?`);
    if (colours < 30) failures.push(`only ${colours} distinct colours in the screenshot (charts missing?)`);
  }
  if (!screenshotPath) rmSync(tmp, { recursive: true, force: true });
  return { ok: failures.length === 0, failures, svgInSource, svgInDom, imgInSource, imgInDom, inkFraction, colours, screenshot: size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, flag, shotPath] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node --import tsx bench/check-report.ts <run dir> [--screenshot file.png]\n');
    process.exit(2);
  }
  const bin = findChromium();
  if (!bin) {
    process.stderr.write('check-report: no Chromium found; install it with: apt-get install -y chromium\n');
    process.exit(2);
  }
  const res = checkReport(dir, bin, flag === '--screenshot' ? shotPath : undefined);
  process.stdout.write(`${JSON.stringify(res)}\n`);
  process.exit(res.ok ? 0 : 1);
}
