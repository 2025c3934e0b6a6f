/** What a webhook answered through `getResponseObject()`. */
export interface ResponseSpy {
	statusCode?: number;
	/** Set once `json()` sent it. */
	body?: unknown;
}

/**
 * Express's response as webhook() code and n8n use it: `status(code).json(body)` ends the
 * response through `end()`, as express does, recording into `spy`.
 */
export interface FakeResponse {
	headersSent: boolean;
	statusCode: number;
	status(code: number): FakeResponse;
	json(body: unknown): FakeResponse;
	end(...args: unknown[]): FakeResponse;
	once(event: 'close', listener: () => void): FakeResponse;
	/** The sender hung up (express emits `close`). */
	hangUp(): void;
}

export function fakeResponse(spy: ResponseSpy): FakeResponse {
	const closeListeners: Array<() => void> = [];
	const response: FakeResponse = {
		headersSent: false,
		statusCode: 200,
		status(code: number) {
			spy.statusCode = code;
			response.statusCode = code;
			return response;
		},
		json(body: unknown) {
			spy.body = body;
			spy.statusCode = response.statusCode;
			response.headersSent = true;
			return response.end();
		},
		end() {
			response.headersSent = true;
			return response;
		},
		once(_event: 'close', listener: () => void) {
			closeListeners.push(listener);
			return response;
		},
		hangUp() {
			for (const listener of closeListeners.splice(0)) listener();
		},
	};
	return response;
}
