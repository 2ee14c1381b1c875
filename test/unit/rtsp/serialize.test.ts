import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspError } from '../../../src/errors.js';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import {
  interleavedHeader,
  serializeRequest,
  serializeResponse,
  statusReasons,
} from '../../../src/rtsp/serialize.js';
import { ascii, parseChunks, splitAt } from './support.js';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/);
/** Header values as the parser returns them: no controls, no surrounding whitespace. */
const value = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .map((text) => text.replace(/\p{Cc}/gu, '').replace(/^[ \t]+|[ \t]+$/g, ''));
const headerList = fc.array(
  fc.tuple(
    token.filter((name) => name.toLowerCase() !== 'content-length'),
    value,
  ),
  { maxLength: 8 },
);
const body = fc.uint8Array({ maxLength: 200 });
const cuts = fc.array(fc.nat({ max: 600 }), { maxLength: 5 });

function chunked(bytes: Uint8Array, cutList: number[]): Uint8Array[] {
  return splitAt(
    bytes,
    cutList.filter((cut) => cut <= bytes.length).sort((a, b) => a - b),
  );
}

function withLength(headers: [string, string][], bytes: Uint8Array): [string, string][] {
  return bytes.length > 0 ? [...headers, ['Content-Length', String(bytes.length)]] : headers;
}

describe('serializeRequest', () => {
  it('writes the request line, headers, Content-Length and body', () => {
    const bytes = serializeRequest({
      method: 'SET_PARAMETER',
      uri: 'rtsp://cam/stream',
      headers: { CSeq: '3', 'Content-Type': 'text/parameters' },
      body: ascii('a: b\r\n'),
    });
    expect(decode(bytes)).toBe(
      'SET_PARAMETER rtsp://cam/stream RTSP/1.0\r\nCSeq: 3\r\nContent-Type: text/parameters\r\nContent-Length: 6\r\n\r\na: b\r\n',
    );
  });

  it('does not modify the headers given', () => {
    const headers = new RtspHeaders({ CSeq: '1' });
    serializeRequest({ method: 'ANNOUNCE', uri: '*', headers, body: ascii('x') });
    expect([...headers]).toEqual([['CSeq', '1']]);
  });

  it('round-trips through the parser', () => {
    fc.assert(
      fc.property(
        token,
        fc.webUrl({ validSchemes: ['rtsp'] }),
        headerList,
        body,
        cuts,
        (method, uri, headers, bytes, cutList) => {
          const serialized = serializeRequest({
            method,
            uri,
            headers: new RtspHeaders(headers),
            body: bytes,
          });
          expect(parseChunks(chunked(serialized, cutList))).toEqual([
            {
              kind: 'request',
              method,
              uri,
              version: 'RTSP/1.0',
              headers: withLength(headers, bytes),
              body: decode(bytes),
            },
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    ['a method with a space', { method: 'GET PARAM', uri: '*' }],
    ['a URI with a line break', { method: 'OPTIONS', uri: 'rtsp://x/\r\nInjected: 1' }],
    ['an empty URI', { method: 'OPTIONS', uri: '' }],
  ])('rejects %s', (_, request) => {
    expect(() => serializeRequest({ ...request, headers: {} })).toThrow(RtspError);
  });

  it('rejects header injection without echoing the value', () => {
    const attempt = (): Uint8Array =>
      serializeRequest({
        method: 'OPTIONS',
        uri: '*',
        headers: { Authorization: 'Basic c2VjcmV0\r\nX: 1' },
      });
    expect(attempt).toThrow(/Authorization header value/);
    expect(attempt).not.toThrow(/c2VjcmV0/);
    expect(() =>
      serializeRequest({ method: 'OPTIONS', uri: '*', headers: { 'Bad Name': 'x' } }),
    ).toThrow(RtspError);
  });

  it('redacts credentials of a rejected URI', () => {
    const attempt = (): Uint8Array =>
      serializeRequest({ method: 'OPTIONS', uri: 'rtsp://u:secret@h/ x', headers: {} });
    expect(attempt).toThrow(/rtsp:\/\/u:\*\*\*@h/);
  });
});

describe('serializeResponse', () => {
  it('fills the reason phrase from the status', () => {
    expect(decode(serializeResponse({ status: 461, headers: { CSeq: '4' } }))).toBe(
      'RTSP/1.0 461 Unsupported transport\r\nCSeq: 4\r\n\r\n',
    );
    expect(statusReasons[454]).toBe('Session Not Found');
  });

  it('round-trips through the parser', () => {
    const reason = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 999 }),
        reason,
        headerList,
        body,
        cuts,
        (status, reasonPhrase, headers, bytes, cutList) => {
          const serialized = serializeResponse({
            status,
            reason: reasonPhrase,
            headers: new RtspHeaders(headers),
            body: bytes,
          });
          expect(parseChunks(chunked(serialized, cutList))).toEqual([
            {
              kind: 'response',
              version: 'RTSP/1.0',
              status,
              reason: reasonPhrase,
              headers: withLength(headers, bytes),
              body: decode(bytes),
            },
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    ['status 99', { status: 99 }],
    ['status 200.5', { status: 200.5 }],
    ['a version that is not RTSP', { status: 200, version: 'HTTP/1.1' }],
    ['a reason with a line break', { status: 200, reason: 'OK\r\nX: y' }],
  ])('rejects %s', (_, response) => {
    expect(() => serializeResponse({ ...response, headers: {} })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT }),
    );
  });
});

describe('interleavedHeader', () => {
  it('writes $, channel and the big-endian length', () => {
    expect([...interleavedHeader(3, 0x1234)]).toEqual([0x24, 3, 0x12, 0x34]);
    expect([...interleavedHeader(255, 65535)]).toEqual([0x24, 255, 0xff, 0xff]);
  });

  it.each([
    [256, 1],
    [-1, 1],
    [0, 65536],
    [0, 1.5],
  ])('rejects channel %d length %d', (channel, length) => {
    expect(() => interleavedHeader(channel, length)).toThrow(RtspError);
  });
});
