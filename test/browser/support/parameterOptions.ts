import type { Page } from 'playwright-core';

/** Picking a value of an options parameter other than Operation, by n8n's data-test-ids. */

const NDV = '[data-test-id="ndv"]';
const OPTION = '[data-test-id="parameter-input-item"]:visible';

/** Opens the dropdown of `parameter` (e.g. modelId), clicks the entry named `name`, waits until it shows. */
export async function selectParameterOption(
	page: Page,
	parameter: string,
	name: string,
): Promise<void> {
	const input = page.locator(`${NDV} [data-test-id="parameter-input-${parameter}"]`);
	await input.click();
	await page.locator(OPTION).first().waitFor();
	await page
		.locator(OPTION)
		.filter({ has: page.locator('.option-headline').getByText(name, { exact: true }) })
		.click();
	await page.locator(OPTION).first().waitFor({ state: 'hidden' });
	const shown = input.locator('input');
	for (
		const until = Date.now() + 10_000;
		(await shown.inputValue()) !== name;
		await page.waitForTimeout(100)
	) {
		if (Date.now() > until)
			throw new Error(`"${parameter}" still shows "${await shown.inputValue()}", not "${name}"`);
	}
}

/** Scrolls the panel so that `parameter` is in view (for screenshots). */
export async function scrollToParameter(page: Page, parameter: string): Promise<void> {
	await page
		.locator(`${NDV} [data-test-id="parameter-input-${parameter}"]`)
		.scrollIntoViewIfNeeded();
}
