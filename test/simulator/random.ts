/**
 * The simulator's only source of randomness for behaviour (job lengths): a seeded PRNG, so a run
 * with the same seed and the same submits is reproducible. Ids and upload names do not use it.
 */

/** Used when the `seed` option is absent. */
export const DEFAULT_SEED = 20240601;

/** mulberry32: a small 32-bit generator, plenty for spreading job lengths. */
export class SeededRandom {
	private state: number;

	constructor(private readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** A number in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Back to the start of the sequence (reset()). */
	restart(): void {
		this.state = this.seed >>> 0;
	}
}
