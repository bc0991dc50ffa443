/** Latency samples and the few statistics the report needs. */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of already sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const median = (samples: readonly number[]): number => summarize(samples).p50;

/** Milliseconds an async operation took, with a high-resolution clock. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export interface Variant {
  name: string;
  /** One operation; `i` is the variant's own running index (warm-up included). */
  run: (i: number) => Promise<void>;
}

export interface InterleaveOptions {
  warmup: number;
  iterations: number;
  /** Stop measuring after this long (ms) even if fewer iterations ran, but not before `minIterations`. */
  budgetMs: number;
  minIterations: number;
}

/**
 * Runs the variants interleaved: one round runs each once, and the order rotates from round to
 * round, so drift on a shared machine (other jobs, GC, JIT, DynamoDB Local's own warm-up) hits
 * every variant alike and no variant always runs first. Warm-up rounds are not recorded.
 */
export async function interleave(variants: readonly Variant[], options: InterleaveOptions): Promise<Map<string, number[]>> {
  const samples = new Map(variants.map((v) => [v.name, [] as number[]]));
  const counters = new Map(variants.map((v) => [v.name, 0]));
  const deadline = performance.now() + options.budgetMs;
  const rounds = options.warmup + options.iterations;
  for (let round = 0; round < rounds; round += 1) {
    const measured = round >= options.warmup;
    if (measured && round - options.warmup >= options.minIterations && performance.now() > deadline) break;
    for (let k = 0; k < variants.length; k += 1) {
      const variant = variants[(round + k) % variants.length]!;
      const i = counters.get(variant.name)!;
      counters.set(variant.name, i + 1);
      const { ms } = await timed(() => variant.run(i));
      if (measured) samples.get(variant.name)!.push(ms);
    }
  }
  return samples;
}

/** Paired differences: sample i of `a` minus sample i of `b` (both from the same round). */
export const pairedDiffs = (a: readonly number[], b: readonly number[]): number[] =>
  a.slice(0, Math.min(a.length, b.length)).map((x, i) => x - b[i]!);
