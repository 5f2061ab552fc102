/** Small helpers for the built-in background SVGs. */

/** Rounds for compact, stable SVG text. */
export const n = (v: number): string => String(Math.round(v * 100) / 100);

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Mixes two #rrggbb colours: t = 0 → a, t = 1 → b. */
export function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return `#${x
    .map((c, i) => Math.round(c + ((y[i] ?? 0) - c) * t))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

/**
 * One laurel branch: leaves in pairs along an arc from the bottom of a wreath up one side.
 * side 1 = left branch, -1 = right branch.
 */
export function laurelBranch(cx: number, cy: number, r: number, side: 1 | -1, color: string, leaves = 8): string {
  const parts: string[] = [];
  // angles in SVG space (y down): π/2 is the bottom; the left branch sweeps through π, the right through 0
  const a0 = Math.PI / 2 - side * 0.18;
  const a1 = Math.PI / 2 + side * (Math.PI - 0.5);
  const p = (a: number, rr = r) => [cx + rr * Math.cos(a), cy + rr * Math.sin(a)] as const;
  const [sx, sy] = p(a0);
  const [ex, ey] = p(a1);
  parts.push(
    `<path d="M${n(sx)} ${n(sy)} A${n(r)} ${n(r)} 0 0 ${side === 1 ? 1 : 0} ${n(ex)} ${n(ey)}" fill="none" stroke="${color}" stroke-width="${n(r * 0.04)}" stroke-linecap="round"/>`,
  );
  for (let i = 0; i < leaves; i++) {
    const t = (i + 0.6) / (leaves + 0.4);
    const a = a0 + (a1 - a0) * t;
    const size = r * (0.27 - 0.1 * t);
    const [lx, ly] = p(a);
    // the leaf shape points along local −y; rotate it to the branch's direction of growth
    const along = (a * 180) / Math.PI + (side === 1 ? 180 : 0);
    for (const out of [1, -1] as const) {
      const tilt = along + out * 38 * side;
      const s = out === 1 ? size : size * 0.85;
      parts.push(
        `<path d="M0 0 C${n(s * 0.55)} ${n(-s * 0.35)} ${n(s * 0.45)} ${n(-s * 1.2)} 0 ${n(-s * 1.6)} C${n(-s * 0.45)} ${n(-s * 1.2)} ${n(-s * 0.55)} ${n(-s * 0.35)} 0 0 Z" fill="${color}" transform="translate(${n(lx)} ${n(ly)}) rotate(${n(tilt)})"/>`,
      );
    }
  }
  const [bx, by] = p(a1, r);
  const tip = (a1 * 180) / Math.PI + (side === 1 ? 180 : 0);
  parts.push(
    `<path d="M0 0 C${n(r * 0.08)} ${n(-r * 0.06)} ${n(r * 0.07)} ${n(-r * 0.2)} 0 ${n(-r * 0.3)} C${n(-r * 0.07)} ${n(-r * 0.2)} ${n(-r * 0.08)} ${n(-r * 0.06)} 0 0 Z" fill="${color}" transform="translate(${n(bx)} ${n(by)}) rotate(${n(tip)})"/>`,
  );
  return parts.join('');
}

/** A five-pointed star centred on (cx, cy). */
export function star(cx: number, cy: number, r: number, color: string): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.45;
    pts.push(`${n(cx + rr * Math.cos(a))},${n(cy + rr * Math.sin(a))}`);
  }
  return `<polygon points="${pts.join(' ')}" fill="${color}"/>`;
}

/** A diamond (rhombus) centred on (cx, cy). */
export const diamond = (cx: number, cy: number, w: number, h: number, color: string): string =>
  `<polygon points="${n(cx)},${n(cy - h / 2)} ${n(cx + w / 2)},${n(cy)} ${n(cx)},${n(cy + h / 2)} ${n(cx - w / 2)},${n(cy)}" fill="${color}"/>`;
