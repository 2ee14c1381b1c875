import { describe, expect, it } from 'vitest';
import { RtspProtocolError } from '../../../src/errors.js';
import { lineText, parseStartLine } from '../../../src/rtsp/head.js';
import { ascii } from './support.js';

describe('parseStartLine', () => {
  it.each([
    ['RTSP/1.0 200 OK', { kind: 'response', version: 'RTSP/1.0', status: 200, reason: 'OK' }],
    [
      'RTSP/1.0 454 Session Not Found',
      { kind: 'response', version: 'RTSP/1.0', status: 454, reason: 'Session Not Found' },
    ],
    ['RTSP/2.0 200', { kind: 'response', version: 'RTSP/2.0', status: 200, reason: '' }],
    [
      'SET_PARAMETER rtsp://cam/ RTSP/1.0',
      { kind: 'request', method: 'SET_PARAMETER', uri: 'rtsp://cam/', version: 'RTSP/1.0' },
    ],
    ['OPTIONS * RTSP/1.0', { kind: 'request', method: 'OPTIONS', uri: '*', version: 'RTSP/1.0' }],
  ])('reads %j', (line, expected) => {
    expect(parseStartLine(line, 0)).toEqual(expected);
  });

  it.each([
    'HTTP/1.0 200 OK',
    'RTSP/1.0 2000 OK',
    'PLAY rtsp://cam/',
    'PLAY  RTSP/1.0',
    'RTSP/1.0',
  ])('rejects %j at the given position', (line) => {
    expect(() => parseStartLine(line, 42)).toThrow(expect.objectContaining({ position: 42 }));
    expect(() => parseStartLine(line, 42)).toThrow(RtspProtocolError);
  });
});

describe('lineText', () => {
  it('drops the CR and trailing whitespace and decodes UTF-8', () => {
    const bytes = ascii('x\r\nSession: été \t\r\n');
    expect(lineText(bytes, 3, bytes.length - 1)).toBe('Session: été');
    expect(lineText(bytes, 0, 2)).toBe('x');
  });
});
