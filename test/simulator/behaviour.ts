/**
 * Decides how the next submit is treated: rejected (429, HTTP-200 error, other HTTP error) or
 * accepted with a behaviour built from the default, the next planned entry and prompt markers.
 */
import type { SeededRandom } from './random';
import type { JobBehaviour, JsonObject, RateLimitForm } from './types';

export type SubmitDecision =
	| { kind: 'accept'; behaviour: JobBehaviour }
	| { kind: 'rateLimited'; retryAfter: number; form?: RateLimitForm }
	| { kind: 'http200Error'; text: string; field?: ErrorTextField }
	| { kind: 'httpError'; status: number; message: string; field?: ErrorTextField }
	/** A gateway's page; no job was created. */
	| { kind: 'gatewayError'; status: number };

type ErrorTextField = NonNullable<JobBehaviour['errorField']>;

interface PlannedEntry {
	behaviour: JobBehaviour;
	/** 429 answers still owed before this entry is consumed by an accepted submit. */
	rateLimitsLeft: number;
}

/** Time a `[sim:slow]` job takes. */
export const SLOW_MARKER_DELAY_MS = 10_000;

/** Extra callbacks a `[sim:dup]` job sends. */
const DUP_MARKER_COPIES = 2;

/** Fields whose text may carry `[sim:*]` markers, so a human demo can trigger faults without code. */
const MARKER_FIELDS = ['prompt', 'instance_prompt'] as const;

export function markerBehaviour(body: JsonObject): JobBehaviour {
	const text = MARKER_FIELDS.map((field) => body[field])
		.filter((value): value is string => typeof value === 'string')
		.join(' ');
	const behaviour: JobBehaviour = {};
	if (text.includes('[sim:fail]')) behaviour.outcome = 'failed';
	if (text.includes('[sim:drop]')) behaviour.dropCallback = true;
	if (text.includes('[sim:dup]')) behaviour.duplicateCallbacks = DUP_MARKER_COPIES;
	if (text.includes('[sim:slow]')) behaviour.delayMs = SLOW_MARKER_DELAY_MS;
	return behaviour;
}

const HTTP_ERROR_TEXT: Readonly<Record<number, string>> = {
	400: 'Bad request',
	401: 'Invalid API key',
	402: 'Insufficient credits',
	403: 'Your plan does not include this feature',
	500: 'Internal server error',
	503: 'Service temporarily unavailable',
};

function rejection(behaviour: JobBehaviour, rateLimitOwed: boolean): SubmitDecision | undefined {
	if (behaviour.rateLimit && rateLimitOwed)
		return {
			kind: 'rateLimited',
			retryAfter: behaviour.rateLimit.retryAfter,
			form: behaviour.rateLimit.form,
		};
	if (behaviour.http200Error !== undefined)
		return { kind: 'http200Error', text: behaviour.http200Error, field: behaviour.errorField };
	if (behaviour.httpStatus !== undefined) {
		const message =
			behaviour.errorMessage ??
			HTTP_ERROR_TEXT[behaviour.httpStatus] ??
			`Simulated HTTP ${behaviour.httpStatus}`;
		return {
			kind: 'httpError',
			status: behaviour.httpStatus,
			message,
			field: behaviour.errorField,
		};
	}
	if (behaviour.gatewayError && !behaviour.gatewayError.jobCreated)
		return { kind: 'gatewayError', status: behaviour.gatewayError.status };
	return undefined;
}

const isNonNegative = (value: number): boolean => Number.isFinite(value) && value >= 0;

/** Throws on timing fields that cannot work, so a bad plan fails where it is made. */
export function checkBehaviour(behaviour: JobBehaviour): void {
	const { delayMs, fetchLagMs } = behaviour;
	if (typeof delayMs === 'number' && !isNonNegative(delayMs))
		throw new RangeError(`delayMs must be a non-negative number, not ${delayMs}`);
	if (
		typeof delayMs === 'object' &&
		!(isNonNegative(delayMs.min) && isNonNegative(delayMs.max) && delayMs.min <= delayMs.max)
	)
		throw new RangeError(
			`delayMs {min, max} needs 0 <= min <= max, not {min: ${delayMs.min}, max: ${delayMs.max}}`,
		);
	if (fetchLagMs !== undefined && !isNonNegative(fetchLagMs))
		throw new RangeError(`fetchLagMs must be a non-negative number, not ${fetchLagMs}`);
}

/** A job's length: the fixed `delayMs`, one uniform draw from its range (whole ms), or the fallback. */
export function drawDelay(
	random: SeededRandom,
	delay: JobBehaviour['delayMs'],
	fallbackMs: number,
): number {
	if (delay === undefined) return fallbackMs;
	if (typeof delay === 'number') return delay;
	const { min, max } = delay;
	return Math.min(max, min + Math.floor(random.next() * (Math.floor(max - min) + 1)));
}

export class BehaviourPlanner {
	private defaultBehaviour: JobBehaviour = {};
	private readonly planned: PlannedEntry[] = [];

	plan(behaviour: JobBehaviour, count = 1): void {
		checkBehaviour(behaviour);
		for (let i = 0; i < count; i++) {
			this.planned.push({
				behaviour: { ...behaviour },
				rateLimitsLeft: behaviour.rateLimit ? (behaviour.rateLimit.times ?? 1) : 0,
			});
		}
	}

	setDefault(behaviour: JobBehaviour): void {
		checkBehaviour(behaviour);
		this.defaultBehaviour = { ...behaviour };
	}

	reset(): void {
		this.defaultBehaviour = {};
		this.planned.length = 0;
	}

	/**
	 * Called once per valid submit. A planned `rateLimit` answers 429 `times` times and the entry
	 * then applies to the next accepted submit; a planned HTTP error is consumed by the submit it rejects.
	 */
	decide(body: JsonObject): SubmitDecision {
		const defaultRejection = rejection(this.defaultBehaviour, true);
		if (defaultRejection) return defaultRejection;

		const next = this.planned[0];
		if (next && next.rateLimitsLeft > 0) {
			next.rateLimitsLeft--;
			return {
				kind: 'rateLimited',
				retryAfter: next.behaviour.rateLimit?.retryAfter ?? 1,
				form: next.behaviour.rateLimit?.form,
			};
		}
		if (next) this.planned.shift();
		const plannedRejection = next && rejection(next.behaviour, false);
		if (plannedRejection) return plannedRejection;

		// What made a submit fail is not part of how the accepted job runs.
		const planned: JobBehaviour = { ...next?.behaviour };
		delete planned.rateLimit;
		delete planned.http200Error;
		delete planned.httpStatus;
		if (!planned.gatewayError?.jobCreated) delete planned.gatewayError;
		return {
			kind: 'accept',
			behaviour: { ...this.defaultBehaviour, ...planned, ...markerBehaviour(body) },
		};
	}
}
