/**
 * Sends callback POSTs, records each attempt and lets tests wait for a number of them.
 * Generation callbacks are best-effort (§5); re-sends only happen when a behaviour asks for them.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { CancelledError, type TimerSet } from './timers';
import type { CallbackPurpose, DeliveredCallback, JsonObject } from './types';

/** The documented acknowledgement window (§7). */
const RECEIVER_TIMEOUT_MS = 30_000;
const FIRST_RETRY_BACKOFF_MS = 50;

export interface CallbackTarget {
	url: string;
	body: JsonObject;
	jobId: string;
	purpose: CallbackPurpose;
	/** Re-sends after a non-2xx answer or a network error. */
	retries: number;
}

interface Waiter {
	count: number;
	resolve: (callbacks: DeliveredCallback[]) => void;
	reject: (error: Error) => void;
	timeout: NodeJS.Timeout;
}

type PostResult = { status: number } | { error: string };

export class CallbackSender {
	/** Bumped by reset/stop so POSTs that were in flight before do not record afterwards. */
	private epoch = 0;
	private readonly inFlight = new Set<AbortController>();
	private readonly waiters = new Set<Waiter>();

	constructor(
		readonly delivered: DeliveredCallback[],
		private readonly timers: TimerSet,
		private readonly log: (line: string) => void,
	) {}

	/** Resolves once the POST (and any re-sends) finished; never rejects except when cancelled. */
	async deliver(target: CallbackTarget): Promise<void> {
		const epoch = this.epoch;
		for (let attempt = 1; ; attempt++) {
			const sentAt = Date.now();
			const result = await this.post(target.url, target.body);
			if (epoch !== this.epoch) throw new CancelledError();
			this.record({
				url: target.url,
				body: target.body,
				attempt,
				sentAt,
				jobId: target.jobId,
				purpose: target.purpose,
				...result,
			});
			const acknowledged = 'status' in result && result.status >= 200 && result.status < 300;
			if (acknowledged || attempt > target.retries) return;
			await this.timers.sleep(FIRST_RETRY_BACKOFF_MS * 2 ** (attempt - 1));
		}
	}

	waitFor(count: number, timeoutMs: number): Promise<DeliveredCallback[]> {
		if (this.delivered.length >= count) return Promise.resolve([...this.delivered]);
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				count,
				resolve,
				reject,
				timeout: setTimeout(() => {
					this.waiters.delete(waiter);
					reject(
						new Error(
							`waited ${timeoutMs} ms for ${count} callbacks, got ${this.delivered.length}`,
						),
					);
				}, timeoutMs),
			};
			this.waiters.add(waiter);
		});
	}

	/** Aborts POSTs in flight and rejects waiters; used by reset() and stop(). */
	cancelAll(reason: string): void {
		this.epoch++;
		for (const controller of this.inFlight) controller.abort();
		this.inFlight.clear();
		for (const waiter of this.waiters) {
			clearTimeout(waiter.timeout);
			waiter.reject(new Error(`waitForCallbacks cancelled: ${reason}`));
		}
		this.waiters.clear();
	}

	private record(callback: DeliveredCallback): void {
		this.delivered.push(callback);
		const outcome =
			callback.status !== undefined ? String(callback.status) : `error ${callback.error ?? ''}`;
		this.log(
			`callback ${callback.purpose} job ${callback.jobId} attempt ${callback.attempt} -> ${callback.url} : ${outcome}`,
		);
		for (const waiter of [...this.waiters]) {
			if (this.delivered.length < waiter.count) continue;
			clearTimeout(waiter.timeout);
			this.waiters.delete(waiter);
			waiter.resolve([...this.delivered]);
		}
	}

	/** One JSON POST to the webhook URL exactly as given (query string included). */
	private post(url: string, body: JsonObject): Promise<PostResult> {
		const payload = Buffer.from(JSON.stringify(body), 'utf8');
		const controller = new AbortController();
		this.inFlight.add(controller);
		const send = url.startsWith('https:') ? httpsRequest : httpRequest;
		return new Promise<PostResult>((resolve) => {
			const finish = (result: PostResult): void => {
				this.inFlight.delete(controller);
				resolve(result);
			};
			const outgoing = send(
				url,
				{
					method: 'POST',
					// A fresh connection per callback: no keep-alive sockets outlive the simulator.
					agent: false,
					signal: controller.signal,
					timeout: RECEIVER_TIMEOUT_MS,
					headers: {
						'content-type': 'application/json',
						'content-length': String(payload.length),
						'user-agent': 'modelslab-simulator',
						connection: 'close',
					},
				},
				(response: IncomingMessage) => {
					response.resume();
					response.on('end', () => finish({ status: response.statusCode ?? 0 }));
					response.on('error', (error: Error) => finish({ error: error.message }));
				},
			);
			outgoing.on('timeout', () =>
				outgoing.destroy(new Error(`no answer within ${RECEIVER_TIMEOUT_MS} ms`)),
			);
			outgoing.on('error', (error: Error) => finish({ error: error.message }));
			outgoing.end(payload);
		});
	}
}
