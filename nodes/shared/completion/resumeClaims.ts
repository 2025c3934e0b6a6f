/**
 * In-process guard against resuming one execution twice. n8n 1.x lets two "all jobs done"
 * callbacks that arrive together both resume the execution (downstream nodes run twice); 2.x
 * rejects the loser with a 500. The first callback to claim the resume wins; later ones are
 * acknowledged without resuming. It covers one n8n process (one webhook processor).
 */
const claims = new Map<string, number>();
const CLAIM_TTL_MS = 15 * 60_000;

/**
 * `run` names the node run (its first job id): a node inside a loop parks once per iteration in
 * the same execution, and each iteration must be resumable.
 */
export function claimResume(
	executionId: string,
	nodeId: string,
	run: string,
	now = Date.now(),
): boolean {
	for (const [key, claimedAt] of claims) {
		if (now - claimedAt > CLAIM_TTL_MS) claims.delete(key);
	}
	const key = `${executionId}:${nodeId}:${run}`;
	if (claims.has(key)) return false;
	claims.set(key, now);
	return true;
}

/** Lets a resume that failed before n8n took it be claimed again by the next callback. */
export function releaseResume(executionId: string, nodeId: string, run: string): void {
	claims.delete(`${executionId}:${nodeId}:${run}`);
}
