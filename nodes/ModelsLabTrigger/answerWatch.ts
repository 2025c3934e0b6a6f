/** The parts of n8n's HTTP response (express) that tell what a request was answered. */
export interface AnswerStream {
	statusCode: number;
	headersSent: boolean;
	end: (...args: never[]) => unknown;
	once(event: 'close', listener: () => void): unknown;
}

/**
 * Calls `listener` with the status code once the request is answered, whoever answers it: the
 * node itself or n8n after `webhook()` returned (on n8n 2.x only after it created the execution,
 * or with a 5xx when it could not). It watches `end()` rather than the socket: a sender that
 * hung up early still gets an answer written, and that answer is what tells the outcome.
 */
export function whenAnswered(response: AnswerStream, listener: (statusCode: number) => void): void {
	let reported = false;
	const report = (): void => {
		if (reported) return;
		reported = true;
		listener(response.statusCode);
	};
	const end = response.end;
	response.end = function (this: unknown, ...args: never[]) {
		report();
		return end.apply(response, args);
	} as AnswerStream['end'];
	response.once('close', () => {
		if (response.headersSent) report();
	});
}

export const is2xx = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;
