import { isQueued, isRunning, isSettled, isUnsure, type ItemJob } from './itemJob';

/**
 * The order in which a paced batch runs its jobs, and what a restarted n8n can know of it.
 *
 * A run has as many lanes as jobs it may run at once. A lane runs its items one after another:
 * an item is submitted only once the lane's previous item is settled. Between two parks the run's
 * owner (processMemory.ts) submits a lane's next items without saving, but only items the last
 * park authorized (`authorizedTo`). So when the owner is lost (a restart), an authorized item whose
 * lane predecessor is no longer running may have been submitted: it becomes unsure and is never
 * submitted again. It settles when its callback comes, when a later job of its lane calls back
 * (each such job's callback URL names the jobs its lane started since the last park: `chainBefore`),
 * or when the run stops waiting for it; a read that finds its predecessor still running proves it
 * was never submitted (`stillRunning`).
 */
/** Stands in the chain for an item its lane settled without a job. */
const NO_JOB = '-';

export interface LaneRecord {
	/** Item indices in the order the lane runs them. */
	items: number[];
	/** Position (in items) of the lane's current item: running, unsure, or the next to submit. */
	at: number;
	/** Items at positions up to this one may be submitted by the owner before the next park. */
	authorizedTo: number;
	/** Items at positions up to this one had their job id (or end) saved by the last park. */
	savedTo: number;
}

export class Lanes {
	private readonly laneByItem = new Map<number, LaneRecord>();

	constructor(
		readonly lanes: LaneRecord[],
		private readonly jobs: readonly ItemJob[],
	) {
		for (const lane of lanes) for (const item of lane.items) this.laneByItem.set(item, lane);
	}

	/**
	 * Lane i: the first wave's job i, then the queued items i, i + L, i + 2L, … (L lanes). With no
	 * job running (the account's queue was full), one lane of every queued item.
	 */
	static layout(jobs: readonly ItemJob[], wave: readonly number[]): Lanes {
		const queued = jobs.filter(isQueued).map((job) => job.itemIndex);
		const records: LaneRecord[] = wave.length
			? wave.map((item, lane) => ({
					items: [item, ...queued.filter((_, position) => position % wave.length === lane)],
					at: 0,
					authorizedTo: 0,
					savedTo: 0,
				}))
			: [{ items: queued, at: 0, authorizedTo: -1, savedTo: -1 }].filter(
					(lane) => lane.items.length,
				);
		return new Lanes(records, jobs);
	}

	laneOf(itemIndex: number): LaneRecord | undefined {
		return this.laneByItem.get(itemIndex);
	}

	/**
	 * Moves every lane past its settled items. Returns the items the owner may submit now (each
	 * lane's next item, when authorized), and whether a lane waits for an authorization.
	 */
	advance(now = Date.now()): { submittable: number[]; blocked: boolean } {
		const submittable: number[] = [];
		let blocked = false;
		for (const lane of this.lanes) {
			while (lane.at < lane.items.length - 1 && isSettled(this.job(lane, lane.at), now)) lane.at++;
			const current = this.job(lane, lane.at);
			if (!current || !isQueued(current)) continue;
			if (lane.at <= lane.authorizedTo) submittable.push(current.itemIndex);
			else blocked = true;
		}
		return { submittable, blocked };
	}

	/**
	 * Lets the owner submit each lane's next `depth` items before the next park, counted from each
	 * lane's position past its settled items.
	 */
	authorize(depth: number): void {
		this.advance();
		for (const lane of this.lanes)
			lane.authorizedTo = Math.min(
				lane.items.length - 1,
				Math.max(lane.authorizedTo, lane.at + depth - 1),
			);
	}

	/** Items the owner may submit before the next park, in lane order: they are what a restart leaves unsure. */
	authorizedQueued(): number[] {
		return this.lanes.flatMap((lane) =>
			lane.items.filter(
				(item, position) => position <= lane.authorizedTo && isQueued(this.jobs[item]),
			),
		);
	}

	/** What the next park saves: every lane's known ids up to its current position. */
	markSaved(): void {
		for (const lane of this.lanes) {
			let saved = lane.savedTo;
			while (saved < lane.items.length - 1 && !isQueued(this.job(lane, saved + 1))) saved++;
			lane.savedTo = saved;
		}
	}

	/**
	 * The job ids of the lane's items after the last park's saved position and before `itemIndex`
	 * (for mlchain); `-` for an item without one (refused at submit).
	 */
	chainBefore(itemIndex: number): string[] {
		const lane = this.laneOf(itemIndex);
		if (!lane) return [];
		const position = lane.items.indexOf(itemIndex);
		return lane.items
			.slice(lane.savedTo + 1, position)
			.map((item) => this.jobs[item].state?.id || NO_JOB);
	}

	/**
	 * After the owner was lost: every authorized item after a lane's last known job may have been
	 * submitted. Marks them unsure (waiting for them until `until`) and returns the lanes' last known
	 * running jobs, to be read now: one still running proves its successors were never submitted.
	 */
	recover(until: number): number[] {
		const toRead: number[] = [];
		for (const lane of this.lanes) {
			const known = this.lastKnown(lane);
			const authorized = lane.items
				.slice(known + 1, lane.authorizedTo + 1)
				.filter((item) => isQueued(this.jobs[item]));
			if (!authorized.length) continue;
			for (const item of authorized) {
				const job = this.jobs[item];
				job.unsure = {
					reason: 'restart',
					until,
					message: 'n8n stopped while the batch ran, after this item may have been submitted',
				};
			}
			const frontier = known >= 0 ? this.jobs[lane.items[known]] : undefined;
			if (frontier && isRunning(frontier)) toRead.push(frontier.itemIndex);
		}
		return toRead;
	}

	/**
	 * A read found this job still running: the items its lane would start after it were not
	 * submitted, so the unsure ones among them are queued again.
	 */
	stillRunning(itemIndex: number): void {
		const lane = this.laneOf(itemIndex);
		if (!lane) return;
		const position = lane.items.indexOf(itemIndex);
		for (const item of lane.items.slice(position + 1)) {
			const job = this.jobs[item];
			if (!isUnsure(job) || job.unsure?.reason !== 'restart' || !job.request) break;
			job.unsure = undefined;
		}
	}

	/**
	 * A callback named the jobs its lane started before it since the last park: those items ran,
	 * with these ids, whatever the run knew of them. Returns the items it learnt an id for.
	 */
	takeChain(itemIndex: number, chain: readonly string[]): Array<{ itemIndex: number; id: string }> {
		const lane = this.laneOf(itemIndex);
		if (!lane || !chain.length) return [];
		const position = lane.items.indexOf(itemIndex);
		const before = lane.items.slice(lane.savedTo + 1, position).slice(-chain.length);
		const learnt: Array<{ itemIndex: number; id: string }> = [];
		before.forEach((item, offset) => {
			const id = chain[chain.length - before.length + offset];
			const job = this.jobs[item];
			if (id === NO_JOB || job.state || job.error) return;
			job.unsure = undefined;
			job.request = undefined;
			learnt.push({ itemIndex: item, id });
		});
		return learnt;
	}

	private lastKnown(lane: LaneRecord): number {
		let known = -1;
		lane.items.forEach((item, position) => {
			if (!isQueued(this.jobs[item]) && !isUnsure(this.jobs[item])) known = position;
		});
		return known;
	}

	private job(lane: LaneRecord, position: number): ItemJob {
		return this.jobs[lane.items[position]];
	}
}
