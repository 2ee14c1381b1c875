import { describe, expect, it } from 'vitest';
import { RtspHeaders } from '../../../src/rtsp/headers.js';

describe('RtspHeaders', () => {
  it('looks names up case-insensitively and keeps their original case and order', () => {
    const headers = new RtspHeaders([
      ['CSeq', '1'],
      ['WWW-Authenticate', 'Digest realm="a"'],
      ['www-authenticate', 'Basic realm="a"'],
    ]);
    expect(headers.get('cseq')).toBe('1');
    expect(headers.getAll('WWW-AUTHENTICATE')).toEqual(['Digest realm="a"', 'Basic realm="a"']);
    expect(headers.has('Www-Authenticate')).toBe(true);
    expect(headers.has('Session')).toBe(false);
    expect(headers.get('Session')).toBeUndefined();
    expect([...headers]).toEqual([
      ['CSeq', '1'],
      ['WWW-Authenticate', 'Digest realm="a"'],
      ['www-authenticate', 'Basic realm="a"'],
    ]);
    expect(headers.size).toBe(3);
  });

  it('set replaces every value in place of the first; append adds; delete removes all', () => {
    const headers = new RtspHeaders({ A: '1', B: '2' }).append('a', '3').append('C', '4');
    headers.set('A', 'x');
    expect([...headers]).toEqual([
      ['A', 'x'],
      ['B', '2'],
      ['C', '4'],
    ]);
    headers.set('D', '5').delete('b');
    expect([...headers]).toEqual([
      ['A', 'x'],
      ['C', '4'],
      ['D', '5'],
    ]);
  });

  it('has() is true for an empty value', () => {
    expect(new RtspHeaders({ Require: '' }).has('require')).toBe(true);
  });

  it('toRecord lower-cases names and joins repeated values', () => {
    const headers = new RtspHeaders([
      ['Public', 'OPTIONS'],
      ['PUBLIC', 'PLAY'],
      ['__proto__', 'x'],
    ]);
    const record = headers.toRecord();
    expect(record).toEqual({ public: 'OPTIONS, PLAY', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(['public', '__proto__']);
  });

  it('copies another RtspHeaders', () => {
    const original = new RtspHeaders({ CSeq: '1' });
    const copy = new RtspHeaders(original).set('CSeq', '2');
    expect(original.get('CSeq')).toBe('1');
    expect(copy.get('cseq')).toBe('2');
  });
});
