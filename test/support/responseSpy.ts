/** What a webhook answered through `getResponseObject()`. */
export interface ResponseSpy {
	statusCode?: number;
	/** Set once `json()` sent it. */
	body?: unknown;
}

/** Express's `res.status(code).json(body)` as webhook() code uses it, recording into `spy`. */
export interface FakeResponse {
	headersSent: boolean;
	status(code: number): FakeResponse;
	json(body: unknown): FakeResponse;
}

export function fakeResponse(spy: ResponseSpy): FakeResponse {
	const response: FakeResponse = {
		headersSent: false,
		status(code: number) {
			spy.statusCode = code;
			return response;
		},
		json(body: unknown) {
			spy.body = body;
			response.headersSent = true;
			return response;
		},
	};
	return response;
}
