#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// Keep V8's young generation at its initial size (1 MB semi-spaces) instead of letting it grow to
// 16 MB ones: after the bulk load of a large cluster, grown semi-spaces stay committed (~32 MB of
// an idle server's RSS). `--max-semi-space-size` only works on the command line (V8 reads it when
// the heap is created); the growth factor is read at each growth, so it works set here, before
// the rest of the CLI is loaded. Embedders of the library keep their own settings.
setFlagsFromString('--semi-space-growth-factor=1');

// The bin entry: everything testable lives in run.ts, loaded after the flag is set.
import('./run.js')
  .then(({ runCli }) => runCli(process.argv.slice(2)))
  .then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
