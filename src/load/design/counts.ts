/** Row counts as the design file writes them: a number, or a string such as `5M`, `1.2k`, `3B`. */
const UNIT: Record<string, number> = { '': 1, k: 1e3, M: 1e6, B: 1e9 };

/** The count as a whole number, or undefined when the value is not a count. */
export function parseCount(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kMB]?)$/.exec(v.trim());
  return m ? Math.round(Number(m[1]) * UNIT[m[2]!]!) : undefined;
}
