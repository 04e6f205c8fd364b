import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import type { BlockSettings } from '../../core/types.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import { whoami } from '../whoami/index.js';
import { BindAddressError, bind, bindDefinition, type InterfaceTable } from './index.js';
import { parseBind } from './setup.js';

function info(address: string, family: 'IPv4' | 'IPv6'): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const table: InterfaceTable = {
  lo: [info('127.0.0.1', 'IPv4'), info('::1', 'IPv6')],
  eth0: [info('192.0.2.10', 'IPv4'), info('fe80::1', 'IPv6'), info('2001:db8::10', 'IPv6')],
};
const interfaces = () => table;

function configured(...plugins: ReturnType<typeof bind>[]): BlockSettings {
  const block: BlockSettings = { listen: [], except: [] };
  for (const plugin of plugins) plugin.configure?.(block);
  return block;
}

describe('bind setup', () => {
  it('reads addresses, interface names and except lines', () => {
    assert.deepEqual(parseBind(directiveFrom('bind 127.0.0.1 ::1'), interfaces), {
      addresses: ['127.0.0.1', '::1'],
    });
    assert.deepEqual(
      parseBind(directiveFrom('bind lo eth0 {\n  except ::1\n  except 192.0.2.10\n}'), interfaces),
      {
        addresses: ['lo', 'eth0'],
        except: ['::1', '192.0.2.10'],
      },
    );
    assert.deepEqual(bindDefinition.parse(directiveFrom('bind 10.0.0.1')), { addresses: ['10.0.0.1'] });
  });

  it('needs at least one address', () => {
    const error = parseError(() => parseBind(directiveFrom('bind'), interfaces));
    assert.equal(error.line, 2);
    assert.equal(error.detail, 'at least one address or interface name is expected');
  });

  it('rejects what is neither an address nor an interface, at its line', () => {
    const error = parseError(() => parseBind(directiveFrom('bind 1.2.3.invalid'), interfaces));
    assert.equal(error.line, 2);
    assert.equal(error.detail, 'not a valid IP address or interface name: "1.2.3.invalid"');
    const inExcept = parseError(() => parseBind(directiveFrom('bind lo {\n  except noone\n}'), interfaces));
    assert.equal(inExcept.line, 3);
  });

  it('rejects an empty except and unknown options', () => {
    const empty = parseError(() => parseBind(directiveFrom('bind lo {\n  except\n}'), interfaces));
    assert.equal(empty.line, 3);
    assert.equal(empty.detail, 'at least one address or interface must be given to except subdirective');
    const unknown = parseError(() => parseBind(directiveFrom('bind lo {\n\n  exclude ::1\n}'), interfaces));
    assert.equal(unknown.line, 4);
    assert.equal(unknown.detail, 'invalid option "exclude"');
  });
});

describe('bind', () => {
  it('configure() resolves interfaces, zones link-local IPv6, and adds up over several plugins', () => {
    const block = configured(
      bind({ addresses: ['eth0'], except: ['lo'], interfaces }),
      bind({ addresses: ['127.0.0.1', '192.0.2.10'], interfaces }),
    );
    assert.deepEqual(block.listen, ['192.0.2.10', 'fe80::1%eth0', '2001:db8::10', '127.0.0.1']);
    assert.deepEqual(block.except, ['127.0.0.1', '::1']);
  });

  it('configure() throws BindAddressError for an unknown name', () => {
    assert.throws(() => configured(bind({ addresses: ['nope0'], interfaces })), BindAddressError);
  });

  it('passes queries on', async () => {
    const server = createServer({ plugins: [bind({ addresses: ['127.0.0.1'] }), whoami()] });
    try {
      const response = await server.exchange(makeQuery('example.org.'));
      assert.equal(response.additionals.length, 2);
    } finally {
      await server.close();
    }
  });

  it('makes the server listen only on the given address', async () => {
    const server = createServer({ port: 0, plugins: [bind({ addresses: ['127.0.0.1'] }), whoami()] });
    try {
      await server.listen();
      const addresses = server.addresses();
      assert.ok(addresses.length > 0);
      assert.ok(addresses.every((listener) => listener.address === '127.0.0.1'));
    } finally {
      await server.close();
    }
  });
});
