import type { Page } from 'playwright-core';

/** Page helpers for n8n 2.x's editor, by the data-test-id attributes n8n's own e2e tests use. */

const NDV = '[data-test-id="ndv"]';
const PARAMETERS = '[data-test-id="node-parameters"]';
const OPERATION = '[data-test-id="parameter-input-operation"]';
const OPTION = '[data-test-id="parameter-input-item"]:visible';

export async function signIn(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('#emailOrLdapLoginId').fill(owner.email);
	await page.locator('#password').fill(owner.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

export async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
}

export async function canvasNodes(page: Page): Promise<Array<{ name: string; type: string }>> {
	return page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
		elements.map((element) => ({
			name: element.getAttribute('data-node-name') ?? '',
			type: element.getAttribute('data-node-type') ?? '',
		})),
	);
}

/** Warning triangles on canvas nodes (parameter or credential issues). */
export async function canvasIssueCount(page: Page): Promise<number> {
	return page.locator('[data-test-id="canvas-node"] [data-test-id="node-issues"]').count();
}

/** Double-click on the canvas, as a user opens a node's panel. */
export async function openNodePanel(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await page.locator(`${NDV} ${PARAMETERS} [data-test-id="parameter-item"]`).first().waitFor();
}

export async function closeNodePanel(page: Page): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator(NDV).waitFor({ state: 'hidden' });
}

export interface PanelState {
	title: string;
	/** innerText of the parameters pane, one trimmed line per entry. */
	lines: string[];
	text: string;
	/** Names of the parameters that show an issue triangle. */
	issues: string[];
	/** The Operation dropdown's shown value, if the node has one. */
	operation?: string;
	/** False when n8n opened the workflow read-only (e.g. locked by another tab). */
	editable: boolean;
}

export async function readPanel(page: Page): Promise<PanelState> {
	const parameters = page.locator(`${NDV} ${PARAMETERS}`);
	const text = await parameters.innerText();
	// The issue icon sits inside the parameter's `parameter-input-<name>` element.
	const issues = await parameters
		.locator('[data-test-id="parameter-issues"]')
		.evaluateAll((elements) =>
			elements.map(
				(element) =>
					element
						.closest('[data-test-id^="parameter-input-"]')
						?.getAttribute('data-test-id')
						?.replace('parameter-input-', '') ?? '?',
			),
		);
	const operation = page.locator(`${NDV} ${OPERATION} input`);
	return {
		title: (await page.locator(`${NDV} [data-test-id="node-title-container"]`).innerText()).trim(),
		lines: text
			.split('\n')
			.map((line) => line.trim())
			.filter(Boolean),
		text,
		issues,
		operation: (await operation.count()) ? await operation.inputValue() : undefined,
		editable: await parameters.locator('input:visible').first().isEnabled(),
	};
}

/** Opens the Operation dropdown and returns its entries' headlines; it stays open until closeOperations(). */
export async function openOperations(page: Page): Promise<string[]> {
	await page.locator(`${NDV} ${OPERATION}`).click();
	await page.locator(OPTION).first().waitFor();
	return page.locator(`${OPTION} .option-headline`).allInnerTexts();
}

export async function closeOperations(page: Page): Promise<void> {
	await page.locator(`${NDV} ${OPERATION}`).click();
	await page.locator(OPTION).first().waitFor({ state: 'hidden' });
}

export async function selectOperation(page: Page, name: string): Promise<void> {
	await openOperations(page);
	await page
		.locator(OPTION)
		.filter({ has: page.locator('.option-headline').getByText(name, { exact: true }) })
		.click();
	await page.locator(OPTION).first().waitFor({ state: 'hidden' });
	const shown = page.locator(`${NDV} ${OPERATION} input`);
	for (
		const until = Date.now() + 10_000;
		(await shown.inputValue()) !== name;
		await page.waitForTimeout(100)
	) {
		if (Date.now() > until)
			throw new Error(
				`the Operation dropdown still shows "${await shown.inputValue()}", not "${name}"`,
			);
	}
}

/** A resource locator's input container in the open panel, as n8n's own e2e tests address it. */
function resourceLocatorInput(page: Page, parameter: string) {
	return page.locator(
		`${NDV} [data-test-id="resource-locator-${parameter}"] [data-test-id="rlc-input-container"]`,
	);
}

/**
 * Opens a resource locator's list (From List mode) as a user does, by clicking its input, and
 * returns the names it shows once n8n loaded them through the node's list search.
 */
export async function openResourceList(page: Page, parameter: string): Promise<string[]> {
	await resourceLocatorInput(page, parameter).click();
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	await items.first().waitFor({ timeout: 30_000 });
	return (await items.allInnerTexts()).map((text) => text.trim());
}

/** Clicks the list entry called `name` and waits until the parameter shows it. */
export async function selectResource(page: Page, parameter: string, name: string): Promise<void> {
	await page.locator('[data-test-id="rlc-item"]:visible').filter({ hasText: name }).first().click();
	const input = resourceLocatorInput(page, parameter).locator('input').first();
	for (
		const until = Date.now() + 10_000;
		(await input.inputValue()) !== name;
		await page.waitForTimeout(100)
	) {
		if (Date.now() > until)
			throw new Error(`${parameter} still shows "${await input.inputValue()}", not "${name}"`);
	}
}

/**
 * Clicks the canvas's "Execute workflow" button as it comes (its default trigger), and waits until
 * the editor shows `nodeName` as run successfully: the execution's park and resume included.
 */
export async function executeFromDefaultButton(
	page: Page,
	nodeName: string,
	timeoutMs: number,
): Promise<void> {
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await page
		.locator(
			`[data-test-id="canvas-node"][data-node-name="${nodeName}"] [data-test-id="canvas-node-status-success"]`,
		)
		.waitFor({ timeout: timeoutMs });
}

/** Whether the editor shows a node as run successfully. */
export async function ranSuccessfully(page: Page, nodeName: string): Promise<boolean> {
	return (
		(await page
			.locator(
				`[data-test-id="canvas-node"][data-node-name="${nodeName}"] [data-test-id="canvas-node-status-success"]`,
			)
			.count()) > 0
	);
}
