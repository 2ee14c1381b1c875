import { describe, expect, it } from 'vitest';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import type { RtspRequest } from '../../../src/rtsp/message.js';
import { answerServerRequest } from '../../../src/session/server-requests.js';

function request(method: string, headers: Record<string, string>): RtspRequest {
  return {
    kind: 'request',
    method,
    uri: 'rtsp://h/s',
    version: 'RTSP/1.0',
    headers: new RtspHeaders(headers),
    body: new Uint8Array(0),
  };
}

describe('answers to requests from the server', () => {
  it('answers OPTIONS with 200, the CSeq echoed and the methods the client takes', () => {
    const answer = answerServerRequest(request('OPTIONS', { CSeq: '7' }));
    expect(answer.status).toBe(200);
    expect(answer.headers.CSeq).toBe('7');
    expect(answer.headers.Public).toContain('GET_PARAMETER');
  });

  it('answers GET_PARAMETER and SET_PARAMETER with 200 and the Session echoed', () => {
    for (const method of ['GET_PARAMETER', 'SET_PARAMETER']) {
      const answer = answerServerRequest(request(method, { CSeq: '3', Session: 'abc' }));
      expect(answer).toEqual({
        status: 200,
        headers: { CSeq: '3', Session: 'abc' },
        notice: undefined,
      });
    }
  });

  it('reports REDIRECT with its Location and ANNOUNCE', () => {
    expect(
      answerServerRequest(request('REDIRECT', { CSeq: '1', Location: 'rtsp://other/s' })).notice,
    ).toEqual({
      kind: 'redirect',
      location: 'rtsp://other/s',
    });
    expect(answerServerRequest(request('ANNOUNCE', { CSeq: '2' })).notice).toEqual({
      kind: 'announce',
    });
  });

  it('answers an unknown method with 501 and the CSeq', () => {
    expect(answerServerRequest(request('RECORD', { CSeq: '9' }))).toMatchObject({
      status: 501,
      headers: { CSeq: '9' },
    });
  });
});
