/**
 * A time series for charts that never holds more than `capacity` points:
 * when full, every other point is dropped and only every 2nd (4th, ...)
 * later point is kept, so an hour-long run costs what a minute does.
 */
export class BoundedSeries {
  readonly t: number[] = [];
  readonly v: (number | null)[] = [];
  private stride = 1;
  private offered = 0;

  constructor(private readonly capacity = 5000) {}

  push(t: number, value: number | null): void {
    if (this.offered++ % this.stride !== 0) return;
    this.t.push(t);
    this.v.push(value);
    if (this.t.length >= this.capacity) this.halve();
  }

  private halve(): void {
    let kept = 0;
    for (let i = 0; i < this.t.length; i += 2, kept++) {
      this.t[kept] = this.t[i]!;
      this.v[kept] = this.v[i]!;
    }
    this.t.length = kept;
    this.v.length = kept;
    this.stride *= 2;
  }
}

/** Mean and standard deviation in one pass (Welford), exact however long the run. */
export class RunningStats {
  count = 0;
  mean = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private m2 = 0;

  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  get stddev(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : 0;
  }
}

/** The q-quantile (0..1) of values, by nearest rank. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Least-squares slope of v over t (units of v per unit of t); undefined under two points. */
export function slope(t: readonly number[], v: readonly (number | null)[]): number | undefined {
  let n = 0;
  let st = 0;
  let sv = 0;
  let stt = 0;
  let stv = 0;
  for (let i = 0; i < t.length; i++) {
    const y = v[i];
    if (y === null || y === undefined) continue;
    const x = t[i]!;
    n++;
    st += x;
    sv += y;
    stt += x * x;
    stv += x * y;
  }
  const denominator = n * stt - st * st;
  return n < 2 || denominator === 0 ? undefined : (n * stv - st * sv) / denominator;
}
