#!/usr/bin/env node
// The `tdmgate` executable (package.json's bin, bundled to dist/tdmgate.js): compiles the CLI
// bundle beside it (dist/tdmgate-cli.js, built from main.ts) with the V8 code cache of the
// command being run, and starts it. Without a cache node re-parses the whole bundle and
// compiles every function the command calls (the YAML parser, the sim) on each run - a third
// of `tdmgate diag scan`'s time. The CLI itself lives in the bundle; this file only loads it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { EXIT_CODES } from '../diagnostics/health';
import { bundleId, codeCachePath, readCodeCache, writeCodeCache } from './code-cache';

type CommonJsBody = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/**
 * Runs the bundle as node would run it as a main module: the same five CommonJS names, with the
 * launcher's own `module` and `require` (the bundle sits in the same folder, so packages resolve
 * alike, and its `require.main === module` check starts the CLI).
 */
export function launch(bundlePath: string, host: NodeJS.Module, hostRequire: NodeJS.Require): void {
  const bytes = readFileSync(bundlePath);
  const bundle = bundleId(bytes);
  const cacheFile = codeCachePath(process.argv.slice(2), process.env);
  const cachedData = cacheFile === undefined ? undefined : readCodeCache(cacheFile, bundle);
  // No importModuleDynamically: node 20 runs import() from a vm.Script only through a loader
  // that prints an ExperimentalWarning, so the bundle is built with esbuild's
  // --supported:dynamic-import=false and loads even ESM-era packages (tar) with require().
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: bundlePath,
    cachedData,
  });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit the script holds bytecode for every function this command compiled, so the next
    // run of the command compiles none of them. A usage error ran next to nothing: keep no cache.
    process.once('exit', (code) => {
      if (code !== EXIT_CODES.USAGE) writeCodeCache(cacheFile, bundle, script.createCachedData());
    });
  }
  const body = script.runInThisContext() as CommonJsBody;
  body.call(host.exports, host.exports, hostRequire, host, bundlePath, path.dirname(bundlePath));
}

if (require.main === module) launch(path.join(__dirname, 'tdmgate-cli.js'), module, require);
