const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript and the codex JSON; n8n loads the node and credential icons from dist/.
task('build:icons', copyIcons);

function copyIcons() {
	const nodeIcons = src(path.resolve('nodes', '**', '*.{png,svg}'));
	const nodeDestination = path.resolve('dist', 'nodes');
	nodeIcons.pipe(dest(nodeDestination));

	const sharedIcons = src(path.resolve('icons', '*.{png,svg}'));
	const sharedDestination = path.resolve('dist', 'icons');
	return sharedIcons.pipe(dest(sharedDestination));
}
