#!/usr/bin/env node
// Runs before `npm start` and `npm test`: on a fresh clone (or after package-lock.json changed)
// it installs the project's dependencies with `npm ci`, so the README's two commands need nothing
// but Node.js and npm. Plain JavaScript without dependencies, since none may be installed yet.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function readJson(path) {
	return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Why node_modules does not match package-lock.json, or undefined when it does. */
function staleReason() {
	const wanted = readJson(join(root, 'package-lock.json'));
	if (!wanted) return 'package-lock.json is missing';
	// npm writes this record of what it installed at the end of every `npm ci` / `npm install`.
	const installed = readJson(join(root, 'node_modules', '.package-lock.json'));
	if (!installed) return 'node_modules is missing';
	for (const [path, entry] of Object.entries(wanted.packages ?? {})) {
		if (path === '' || entry.optional || entry.link) continue;
		const have = installed.packages?.[path];
		if (!have) return `${path.replace(/^node_modules\//, '')} is not installed`;
		if (have.version !== entry.version) {
			return `${path.replace(/^node_modules\//, '')} is ${have.version}, package-lock.json wants ${entry.version}`;
		}
	}
	return undefined;
}

const reason = staleReason();
if (reason) {
	console.log(`installing dependencies with npm ci (${reason}) ...`);
	const npm = process.env.npm_execpath;
	// Inside an npm script npm_execpath names npm's own CLI; run it with this Node.js.
	if (npm && npm.endsWith('.js'))
		execFileSync(process.execPath, [npm, 'ci'], { cwd: root, stdio: 'inherit' });
	else execFileSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
}
