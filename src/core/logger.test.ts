import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, sink: { write: (text: string) => lines.push(text) } };
}

describe('createLogger', () => {
  it('writes CoreDNS-style lines: info to stdout, warnings and errors to stderr', () => {
    const out = capture();
    const err = capture();
    const logger = createLogger({ stdout: out.sink, stderr: err.sink });
    logger.info('plugin/reload: Running');
    logger.warn('careful');
    logger.error('broken');
    logger.debug('hidden');
    assert.deepEqual(out.lines, ['[INFO] plugin/reload: Running\n']);
    assert.deepEqual(err.lines, ['[WARNING] careful\n', '[ERROR] broken\n']);
  });

  it('prints debug lines when asked, and drops info and debug when quiet', () => {
    const out = capture();
    createLogger({ stdout: out.sink, debug: true }).debug('details');
    assert.deepEqual(out.lines, ['[DEBUG] details\n']);
    const quietOut = capture();
    const quietErr = capture();
    const quiet = createLogger({ quiet: true, debug: true, stdout: quietOut.sink, stderr: quietErr.sink });
    quiet.info('x');
    quiet.debug('y');
    quiet.error('z');
    assert.deepEqual(quietOut.lines, []);
    assert.deepEqual(quietErr.lines, ['[ERROR] z\n']);
  });
});
