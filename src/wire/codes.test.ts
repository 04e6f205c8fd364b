import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classFromNumber,
  classToNumber,
  opcodeFromNumber,
  opcodeToNumber,
  rcodeFromNumber,
  rcodeToNumber,
  typeFromNumber,
  typeToNumber,
} from './codes.js';
import { EncodeError } from './errors.js';

const isEncodeError = (code: string) => (error: unknown) =>
  error instanceof EncodeError && error.code === code;

describe('type codes', () => {
  it('maps mnemonics both ways', () => {
    for (const [name, value] of [
      ['A', 1],
      ['NS', 2],
      ['SOA', 6],
      ['AAAA', 28],
      ['SRV', 33],
      ['OPT', 41],
      ['SVCB', 64],
      ['HTTPS', 65],
      ['CAA', 257],
      ['ANY', 255],
    ] as const) {
      assert.equal(typeToNumber(name), value);
      assert.equal(typeFromNumber(value), name);
    }
  });
  it('uses the RFC 3597 spelling for types without a mnemonic', () => {
    assert.equal(typeFromNumber(65534), 'TYPE65534');
    assert.equal(typeToNumber('TYPE65534'), 65534);
    assert.equal(typeToNumber('type123'), 123);
    assert.equal(typeToNumber('TYPE1'), 1);
    assert.equal(typeToNumber('aaaa'), 28);
  });
  it('rejects unknown mnemonics and out-of-range generic numbers', () => {
    assert.throws(() => typeToNumber('FOO'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => typeToNumber('TYPE65536'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => typeToNumber('TYPE-1'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => typeToNumber('TYPE1e3'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => typeToNumber('TYPE'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => typeFromNumber(70000), isEncodeError('bad-field'));
  });
});

describe('class, rcode and opcode codes', () => {
  it('maps classes', () => {
    assert.equal(classToNumber('IN'), 1);
    assert.equal(classToNumber('CH'), 3);
    assert.equal(classFromNumber(254), 'NONE');
    assert.equal(classFromNumber(42), 'CLASS42');
    assert.equal(classToNumber('CLASS42'), 42);
    assert.throws(() => classToNumber('XX'), isEncodeError('unknown-mnemonic'));
  });
  it('maps rcodes including extended ones', () => {
    assert.equal(rcodeToNumber('NXDOMAIN'), 3);
    assert.equal(rcodeToNumber('BADVERS'), 16);
    assert.equal(rcodeToNumber('BADCOOKIE'), 23);
    assert.equal(rcodeFromNumber(16), 'BADVERS');
    assert.equal(rcodeFromNumber(12), 'RCODE12');
    assert.equal(rcodeToNumber('RCODE4095'), 4095);
    assert.throws(() => rcodeToNumber('RCODE4096'), isEncodeError('unknown-mnemonic'));
  });
  it('maps opcodes within 4 bits', () => {
    assert.equal(opcodeToNumber('NOTIFY'), 4);
    assert.equal(opcodeToNumber('UPDATE'), 5);
    assert.equal(opcodeFromNumber(3), 'OPCODE3');
    assert.equal(opcodeToNumber('OPCODE15'), 15);
    assert.throws(() => opcodeToNumber('OPCODE16'), isEncodeError('unknown-mnemonic'));
    assert.throws(() => opcodeToNumber('PUSH'), isEncodeError('unknown-mnemonic'));
  });
});
