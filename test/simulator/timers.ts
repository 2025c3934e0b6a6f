/**
 * Every timer the simulator starts goes through one TimerSet, so `stop()` and `reset()` can cancel
 * all of them and jest exits without --forceExit.
 */

export class CancelledError extends Error {
	constructor() {
		super('simulator timer cancelled (stop or reset)');
		this.name = 'CancelledError';
	}
}

export type TimerHandle = symbol;

interface PendingTimer {
	timeout: NodeJS.Timeout;
	/** Called instead of the callback when the timer is cancelled. */
	onCancel?: () => void;
}

export class TimerSet {
	private readonly pending = new Map<TimerHandle, PendingTimer>();

	constructor(private readonly onError: (error: unknown) => void) {}

	/** Runs `callback` after `ms`; a rejected promise it returns goes to `onError`, never unhandled. */
	after(ms: number, callback: () => void | Promise<void>, onCancel?: () => void): TimerHandle {
		const handle: TimerHandle = Symbol('timer');
		const timeout = setTimeout(
			() => {
				this.pending.delete(handle);
				try {
					Promise.resolve(callback()).catch((error: unknown) => this.report(error));
				} catch (error) {
					this.report(error);
				}
			},
			Math.max(0, ms),
		);
		this.pending.set(handle, { timeout, onCancel });
		return handle;
	}

	/** Resolves after `ms`; rejects with CancelledError if the set is cleared first. */
	sleep(ms: number): Promise<void> {
		return new Promise((resolve, reject) => {
			this.after(ms, resolve, () => reject(new CancelledError()));
		});
	}

	cancel(handle: TimerHandle | undefined): void {
		if (handle === undefined) return;
		const timer = this.pending.get(handle);
		if (!timer) return;
		clearTimeout(timer.timeout);
		this.pending.delete(handle);
		timer.onCancel?.();
	}

	cancelAll(): void {
		for (const handle of [...this.pending.keys()]) this.cancel(handle);
	}

	get size(): number {
		return this.pending.size;
	}

	private report(error: unknown): void {
		if (!(error instanceof CancelledError)) this.onError(error);
	}
}
