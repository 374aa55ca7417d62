// Charts drawn in the page as plain SVG: stacked bars or lines by year. Hovering a year
// (or focusing it with the keyboard) shows its figures: each year is a column with a <title>,
// read by the browser's tooltip and by screen readers.
import { esc } from "./ui.js";

const W = 720;
const H = 260;
const PAD = { left: 86, right: 12, top: 12, bottom: 46 };

// series: [{ label, colour, values: [number | null per year], dashed }]
export function chart({ years, series, stacked = false, bars = false, yLabel, format, marks = [], title }) {
  const totals = years.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
  const top = Math.max(1, ...(stacked ? totals : series.flatMap((s) => s.values.map((v) => v || 0))));
  const x0 = PAD.left;
  const step = (W - PAD.left - PAD.right) / Math.max(1, years.length);
  const x = (i) => x0 + step * (i + 0.5);
  const y = (v) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const parts = [];
  for (let k = 0; k <= 4; k++) {
    const v = (top * k) / 4;
    parts.push(`<line x1="${x0}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`,
      `<text x="${x0 - 6}" y="${y(v) + 4}" text-anchor="end">${esc(format(v))}</text>`);
  }
  const label = Math.ceil(years.length / 12);
  years.forEach((year, i) => {
    if (i % label === 0) parts.push(`<text x="${x(i)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${year}</text>`);
  });
  if (bars) {
    const base = years.map(() => 0);
    series.forEach((s) => years.forEach((_, i) => {
      const v = s.values[i] || 0;
      if (v <= 0) return;
      const bottom = stacked ? base[i] : 0;
      parts.push(`<rect x="${x(i) - step * 0.35}" width="${step * 0.7}" y="${y(bottom + v)}" height="${y(bottom) - y(bottom + v)}" fill="${s.colour}"/>`);
      if (stacked) base[i] += v;
    }));
  } else {
    const base = years.map(() => 0);
    series.forEach((s) => {
      const points = years.map((_, i) => (s.values[i] === null || s.values[i] === undefined ? null
        : [x(i), y((stacked ? base[i] : 0) + s.values[i])]));
      if (stacked) years.forEach((_, i) => (base[i] += s.values[i] || 0));
      const d = points.map((p, i) => (p ? `${i && points[i - 1] ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}` : "")).join("");
      parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
      points.forEach((p) => p && parts.push(`<circle cx="${p[0]}" cy="${p[1]}" r="3" fill="${s.colour}"/>`));
    });
  }
  for (const mark of marks) {
    const i = years.indexOf(mark.year);
    if (i >= 0) parts.push(`<line x1="${x(i)}" x2="${x(i)}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="mark"/>`,
      `<text x="${x(i) + 4}" y="${PAD.top + 12}" class="mark-label">${esc(mark.label)}</text>`);
  }
  // One hover column per year, with its figures.
  years.forEach((year, i) => {
    const lines = series.filter((s) => s.values[i] !== null && s.values[i] !== undefined)
      .map((s) => `${s.label}: ${format(s.values[i])}`);
    parts.push(`<rect class="hover" data-year="${year}" tabindex="0" x="${x(i) - step / 2}" width="${step}" y="${PAD.top}"
      height="${H - PAD.top - PAD.bottom}"><title>${esc([year, ...lines].join("\n"))}</title></rect>`);
  });
  parts.push(`<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
  const legend = series.map((s) => `<span><span class="swatch" style="background:${s.colour}"></span>${esc(s.label)}</span>`).join("");
  return `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${parts.join("")}</svg>
    <figcaption class="legend">${legend}</figcaption></figure>`;
}
