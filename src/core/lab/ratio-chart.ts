// An SVG chart of a comparison: one horizontal bar per metric from 1.0 to the median B/A ratio, a whisker
// for the bootstrap interval, green when B is better, red when worse. Our own small SVG writer: the chart is
// one shape, and chart libraries (vega, d3, chart.js) need a DOM or a canvas to render it.
import type { Comparison } from './bench-result.ts';

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Options for {@link renderRatioChart}. */
export interface RatioChartOptions {
  readonly width?: number;
  readonly title?: string;
}

/** Renders a comparison as a standalone SVG document (text). */
export function renderRatioChart(c: Comparison, options: RatioChartOptions = {}): string {
  const width = options.width ?? 900;
  const rowHeight = 26;
  const labelWidth = 260;
  const valueWidth = 170;
  const top = 70;
  const plotLeft = labelWidth;
  const plotWidth = width - labelWidth - valueWidth - 20;
  const rows = c.rows.filter((r) => Number.isFinite(r.ratio.median));
  const height = top + rows.length * rowHeight + 50;
  let lo = 1;
  let hi = 1;
  for (const r of rows) {
    lo = Math.min(lo, r.ratio.low, r.ratio.median);
    hi = Math.max(hi, r.ratio.high, r.ratio.median);
  }
  const margin = Math.max(0.02, (hi - lo) * 0.08);
  lo = Math.max(0, lo - margin);
  hi += margin;
  const x = (v: number) => plotLeft + ((v - lo) / (hi - lo)) * plotWidth;
  const emulated = c.a.kernel.environment === 'tcg' || c.b.kernel.environment === 'tcg';
  const title =
    options.title ?? `${c.b.label} vs ${c.a.label}: B/A ratio${emulated ? ' (QEMU TCG, emulated CPU)' : ''}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" fill="#555">A = ${escapeXml(c.a.label)}, B = ${escapeXml(c.b.label)}; bar: median ratio, whisker: 95% bootstrap interval; green = B better</text>`,
  ];
  // Grid: ticks at a round step.
  const span = hi - lo;
  const step = span > 2 ? 0.5 : span > 0.8 ? 0.2 : span > 0.3 ? 0.05 : 0.02;
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${top - 8}" x2="${tx}" y2="${top + rows.length * rowHeight}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${tx}" y="${top + rows.length * rowHeight + 16}" text-anchor="middle" fill="#555">${t.toFixed(2)}</text>`);
  }
  const one = x(1).toFixed(1);
  out.push(`<line x1="${one}" y1="${top - 10}" x2="${one}" y2="${top + rows.length * rowHeight + 4}" stroke="#333" stroke-width="1.5"/>`);
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    const better = r.better === 'higher' ? r.ratio.median >= 1 : r.ratio.median <= 1;
    const x0 = Math.min(x(1), x(r.ratio.median));
    const w = Math.max(1, Math.abs(x(r.ratio.median) - x(1)));
    const mid = y + rowHeight / 2;
    out.push(`<text x="${plotLeft - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(`${r.suite}/${r.name}`)}</text>`);
    out.push(`<rect x="${x0.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowHeight - 10}" fill="${better ? '#3a9d5d' : '#c8553d'}"/>`);
    if (Number.isFinite(r.ratio.low) && Number.isFinite(r.ratio.high)) {
      const l = x(r.ratio.low).toFixed(1);
      const h = x(r.ratio.high).toFixed(1);
      out.push(`<line x1="${l}" y1="${mid}" x2="${h}" y2="${mid}" stroke="#222"/>`);
      out.push(`<line x1="${l}" y1="${mid - 5}" x2="${l}" y2="${mid + 5}" stroke="#222"/>`);
      out.push(`<line x1="${h}" y1="${mid - 5}" x2="${h}" y2="${mid + 5}" stroke="#222"/>`);
    }
    const note = `${r.ratio.median.toFixed(3)}  [${r.ratio.low.toFixed(3)}, ${r.ratio.high.toFixed(3)}]`;
    out.push(`<text x="${plotLeft + plotWidth + 10}" y="${mid + 4}">${escapeXml(note)}</text>`);
  });
  out.push(
    `<text x="${plotLeft + plotWidth / 2}" y="${height - 8}" text-anchor="middle" fill="#555">B/A (${rows.length} metrics)</text>`,
    '</svg>',
    '',
  );
  return out.join('\n');
}
