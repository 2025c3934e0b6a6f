import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless, and quiet: no update checks, sync or first-run pages reaching out of the machine.
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

export interface Browser {
	page: Page;
	close(): Promise<void>;
}

/** A fresh profile per run, so no cookie or local storage of an earlier n8n leaks in. */
export async function launchChromium(): Promise<Browser> {
	const profile = mkdtempSync(join(tmpdir(), 'modelslab-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: FLAGS,
			viewport: { width: 1280, height: 800 },
		});
	} catch (error) {
		rmSync(profile, { recursive: true, force: true });
		throw new Error(
			`cannot start ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH): ${(error as Error).message}`,
		);
	}
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		page,
		async close() {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}
