import type { Level, Reason, Thresholds } from './types.js';

/**
 * Combine reasons as independent evidence (noisy-OR) into [0,1]. Reasons of the same rule are not independent,
 * so each rule counts once, with its strongest reason.
 */
export function combine(reasons: readonly Reason[]): number {
  const best = new Map<string, number>();
  for (const r of reasons) best.set(r.rule, Math.max(best.get(r.rule) ?? 0, r.weight));
  let miss = 1;
  for (const w of best.values()) miss *= 1 - Math.min(Math.max(w, 0), 0.99);
  return Math.round((1 - miss) * 1000) / 1000;
}

/** The level of a score, or null below the low threshold. */
export function levelOf(score: number, t: Thresholds): Level | null {
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  if (score >= t.low) return 'low';
  return null;
}

export const LEVELS: readonly Level[] = ['low', 'medium', 'high'];

/** Whether `level` is at or above `min`. */
export const atLeast = (level: Level, min: Level): boolean => LEVELS.indexOf(level) >= LEVELS.indexOf(min);
