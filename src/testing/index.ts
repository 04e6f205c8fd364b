/**
 * Helpers for testing DNS logic without sockets: build queries, run them through a server's
 * chain with `exchange()`, and compare answers in presentation format.
 *
 * @example
 * ```ts
 * import { assertAnswers, query, testServer } from 'dnskit/testing';
 *
 * const server = testServer([myPlugin()]);
 * const response = await server.exchange(query('www.example.org.', 'A'));
 * assertAnswers(response, ['www.example.org. 300 IN A 192.0.2.1']);
 * ```
 * @module
 */

export {
  type MemoryCluster,
  type MemoryClusterInit,
  memoryCluster,
  memoryClusterFromPath,
} from '../cluster/index.js';
export {
  type AssertAnswersOptions,
  answers,
  assertAnswers,
  assertRcode,
  type Section,
} from './assertions.js';
export { type QueryInit, query } from './query.js';
export * from './resolver/index.js';
export { type TestPlugin, testServer } from './test-server.js';
