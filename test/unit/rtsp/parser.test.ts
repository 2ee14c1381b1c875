import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspProtocolError } from '../../../src/errors.js';
import { RtspMessageParser } from '../../../src/rtsp/parser.js';
import { cameraExchange, cameraExchangeMessageCount } from './fixtures/camera-exchange.js';
import { ascii, concat, frame, parseChunks, splitAt, summarize } from './support.js';

const whole = parseChunks([cameraExchange]);

/** The error `run` throws (failing the test when it throws none). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function parseError(text: string | Uint8Array, limits = {}): RtspProtocolError {
  const error = thrown(() => parseChunks([typeof text === 'string' ? ascii(text) : text], limits));
  expect(error).toBeInstanceOf(RtspProtocolError);
  return error as RtspProtocolError;
}

describe('RtspMessageParser on a camera exchange', () => {
  it('parses every message of the exchange', () => {
    expect(whole).toHaveLength(cameraExchangeMessageCount);
    expect(
      whole.map((m) =>
        m.kind === 'response' ? m.status : m.kind === 'request' ? m.method : `$${m.channel}`,
      ),
    ).toEqual([200, 401, 200, 200, '$0', 200, '$0', '$1', 'GET_PARAMETER', '$0']);
    const describeReply = whole[2];
    expect(describeReply?.kind === 'response' && describeReply.body).toMatch(
      /^v=0\r\n[^]*a=control:trackID=1\r\n$/,
    );
    const setupReply = whole[3];
    expect(setupReply?.kind === 'response' && setupReply.headers).toContainEqual([
      'Session',
      '1273222592;timeout=60',
    ]);
    const unauthorized = whole[1];
    expect(
      unauthorized?.kind === 'response' &&
        unauthorized.headers.filter(([name]) => name === 'WWW-Authenticate'),
    ).toHaveLength(2);
  });

  it('yields the same messages at every split point', () => {
    for (let offset = 0; offset <= cameraExchange.length; offset++) {
      expect(parseChunks(splitAt(cameraExchange, [offset]))).toEqual(whole);
    }
  });

  it('yields the same messages one byte at a time', () => {
    const bytes = Array.from({ length: cameraExchange.length }, (_, i) =>
      cameraExchange.subarray(i, i + 1),
    );
    expect(parseChunks(bytes)).toEqual(whole);
  });

  it('yields the same messages under any chunking', () => {
    const offsets = fc.uniqueArray(fc.integer({ min: 0, max: cameraExchange.length }), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(offsets, (cuts) => {
        expect(
          parseChunks(
            splitAt(
              cameraExchange,
              [...cuts].sort((a, b) => a - b),
            ),
          ),
        ).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});

describe('RtspMessageParser quirks', () => {
  it('skips CRLFs and LFs before and between messages', () => {
    const messages = parseChunks([
      ascii('\r\n\n\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n\r\n\nRTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\n'),
    ]);
    expect(messages.map((m) => m.kind === 'response' && m.headers)).toEqual([
      [['CSeq', '1']],
      [['CSeq', '2']],
    ]);
  });

  it('keeps U+2028 and U+2029 inside header values and reason phrases', () => {
    const text = 'RTSP/1.0 200 O\u2028K\r\nCSeq: 1\r\nServer: a\u2029b\r\n\r\n';
    const [message] = parseChunks([new TextEncoder().encode(text)]);
    expect(message).toMatchObject({ kind: 'response', reason: 'O\u2028K' });
    expect(message?.kind === 'response' && message.headers).toEqual([
      ['CSeq', '1'],
      ['Server', 'a\u2029b'],
    ]);
  });

  it('reads interleaved frames before, between and after messages', () => {
    const bytes = concat(
      frame(0, [1]),
      ascii('RTSP/1.0 200 OK\r\nCSeq: 5\r\n\r\n'),
      frame(1, [2, 3]),
      ascii('RTSP/1.0 200 OK\r\n\r\n'),
      frame(255, []),
    );
    expect(
      parseChunks([bytes]).map((m) => (m.kind === 'interleaved' ? [m.channel, m.data] : m.kind)),
    ).toEqual([[0, [1]], 'response', [1, [2, 3]], 'response', [255, []]]);
  });

  it('reads lower-case names, trailing whitespace, LF-only endings and a space before the colon', () => {
    const [message] = parseChunks([
      ascii('RTSP/1.0 200 OK  \ncseq: 7 \t\ncontent-length: 2\nx-odd : v\n\nhi'),
    ]);
    expect(message).toEqual({
      kind: 'response',
      version: 'RTSP/1.0',
      status: 200,
      reason: 'OK',
      headers: [
        ['cseq', '7'],
        ['content-length', '2'],
        ['x-odd', 'v'],
      ],
      body: 'hi',
    });
  });

  it('joins continuation lines (obs-fold) to the previous value', () => {
    const [message] = parseChunks([
      ascii(
        'RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm="x",\r\n  nonce="y"\r\n\tstale=FALSE\r\nCSeq: 2\r\n\r\n',
      ),
    ]);
    expect(message?.kind === 'response' && message.headers).toEqual([
      ['WWW-Authenticate', 'Digest realm="x", nonce="y" stale=FALSE'],
      ['CSeq', '2'],
    ]);
  });

  it('gives a response without Content-Length an empty body and parses what follows as the next message', () => {
    const messages = parseChunks([
      ascii('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\nRTSP/1.0 204\r\nCSeq: 2\r\n\r\n'),
    ]);
    expect(messages).toEqual([
      {
        kind: 'response',
        version: 'RTSP/1.0',
        status: 200,
        reason: 'OK',
        headers: [['CSeq', '1']],
        body: '',
      },
      {
        kind: 'response',
        version: 'RTSP/1.0',
        status: 204,
        reason: '',
        headers: [['CSeq', '2']],
        body: '',
      },
    ]);
  });

  it.each(['OPTIONS', 'GET_PARAMETER', 'ANNOUNCE', 'REDIRECT', 'SET_PARAMETER'])(
    'parses a server-sent %s as a request',
    (method) => {
      const [message] = parseChunks([
        ascii(`${method} rtsp://cam/stream RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 4\r\n\r\nbody`),
      ]);
      expect(message).toEqual({
        kind: 'request',
        method,
        uri: 'rtsp://cam/stream',
        version: 'RTSP/1.0',
        headers: [
          ['CSeq', '9'],
          ['Content-Length', '4'],
        ],
        body: 'body',
      });
    },
  );

  it('accepts a repeated Content-Length with the same value', () => {
    const [message] = parseChunks([
      ascii('RTSP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length:1\r\n\r\nx'),
    ]);
    expect(message?.kind === 'response' && message.body).toBe('x');
  });
});

describe('RtspMessageParser errors', () => {
  it('rejects garbage where a message starts, with its stream position', () => {
    const ok = 'RTSP/1.0 200 OK\r\n\r\n';
    const error = parseError(`${ok}\u0000\u0001garbage`);
    expect(error.position).toBe(ok.length);
    expect(error.message).toContain(`byte ${ok.length}`);
  });

  it('rejects a start line that is neither a status line nor a request line', () => {
    const error = parseError('\r\nHTTP/1.1 200 OK\r\n\r\n');
    expect(error.position).toBe(2);
    expect(error.message).toMatch(/malformed RTSP start line "HTTP\/1.1 200 OK" at byte 2/);
  });

  it('redacts credentials in a rejected start line', () => {
    const error = parseError('PLAY rtsp://admin:secret@cam/x RTSP/1.0 extra\r\n\r\n');
    expect(error.message).not.toContain('secret');
  });

  it('rejects a header line without a colon at its position', () => {
    const error = parseError('RTSP/1.0 200 OK\r\nCSeq 1\r\n\r\n');
    expect(error.position).toBe(17);
  });

  it.each([
    ['-1', undefined],
    ['abc', undefined],
    ['0x10', undefined],
    ['200000', 'maxBodyBytes'],
    ['9007199254740993', 'maxBodyBytes'],
    ['99999999999999999999999', 'maxBodyBytes'],
  ])('rejects Content-Length %s', (value, limit) => {
    const error = parseError(`RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: ${value}\r\n\r\n`);
    expect(error.limit).toBe(limit);
    expect(error.position).toBe(26);
  });

  it('rejects Content-Length repeated with different values', () => {
    const error = parseError('RTSP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy');
    expect(error.message).toMatch(/Content-Length repeated/);
    expect(error.position).toBe(36);
  });

  it.each([
    ['maxStartLineBytes', `OPTIONS rtsp://x/${'a'.repeat(4096)} RTSP/1.0\r\n\r\n`, 0],
    ['maxHeaderLineBytes', `RTSP/1.0 200 OK\r\nX-Long: ${'a'.repeat(8192)}\r\n\r\n`, 17],
    ['maxHeaderCount', `RTSP/1.0 200 OK\r\n${'X: y\r\n'.repeat(256)}\r\n`, 17 + 255 * 6],
    ['maxHeadBytes', `RTSP/1.0 200 OK\r\n${`X: ${'y'.repeat(400)}\r\n`.repeat(200)}\r\n`, 0],
  ])('enforces %s', (limit, text, position) => {
    const error = parseError(text);
    expect(error.limit).toBe(limit);
    expect(error.position).toBe(position);
    expect(error.message).toContain(limit);
  });

  it('accepts a message right at each limit and rejects it one byte (or field) under', () => {
    const text = 'RTSP/1.0 200 OKxxxxx\r\nX: 4567890\r\nY: 4567890\r\nContent-Length: 3\r\n\r\nabc';
    const exact = {
      maxStartLineBytes: 20,
      maxHeaderLineBytes: 17,
      maxHeaderCount: 3,
      maxHeadBytes: 67,
      maxBodyBytes: 3,
    };
    expect(parseChunks([ascii(text)], exact)).toHaveLength(1);
    for (const limit of Object.keys(exact) as (keyof typeof exact)[]) {
      expect(parseError(text, { ...exact, [limit]: exact[limit] - 1 }).limit).toBe(limit);
    }
  });

  it.each([
    ['one endless line', {}],
    ['one endless line with the line limit lifted', { maxHeaderLineBytes: 1 << 30 }],
  ])('rejects a 100 MB header after about 64 KiB: %s', (_, limits) => {
    const parser = new RtspMessageParser(limits);
    const chunk = ascii('a'.repeat(16384));
    parser.push(ascii('RTSP/1.0 200 OK\r\nX-Flood: '));
    let pushed = 0;
    const error = thrown(() => {
      while (pushed < 100 * 1024 * 1024) {
        parser.push(chunk);
        pushed += chunk.length;
        expect(parser.next()).toBeUndefined();
      }
    });
    expect(error).toBeInstanceOf(RtspProtocolError);
    expect(pushed).toBeLessThanOrEqual(65536 + chunk.length);
  });

  it('stays failed after an error, rethrowing it and dropping new bytes', () => {
    const parser = new RtspMessageParser();
    parser.push(ascii('\u0000'));
    const first = thrown(() => parser.next());
    parser.push(ascii('RTSP/1.0 200 OK\r\n\r\n'));
    expect(thrown(() => parser.next())).toBe(first);
    expect(parser.buffered).toBe(0);
  });
});

describe('RtspMessageParser fuzzing', () => {
  /** Parses `bytes` in `cuts`; only RtspProtocolError may escape, and every call must make progress. */
  function parseHostile(bytes: Uint8Array, cuts: number[]): void {
    const parser = new RtspMessageParser();
    try {
      for (const chunk of splitAt(
        bytes,
        cuts.filter((cut) => cut <= bytes.length).sort((a, b) => a - b),
      )) {
        parser.push(chunk);
        let calls = 0;
        while (parser.next() !== undefined) expect(++calls).toBeLessThanOrEqual(bytes.length);
      }
    } catch (error) {
      expect(error).toBeInstanceOf(RtspProtocolError);
      expect((error as RtspProtocolError).position).toBeGreaterThanOrEqual(0);
    }
  }

  const cuts = fc.array(fc.nat({ max: cameraExchange.length }), { maxLength: 8 });

  it('turns random bytes into messages or RtspProtocolError only', () => {
    const prefixes = fc.constantFrom(
      '',
      'RTSP/1.0 ',
      'RTSP/1.0 200 OK\r\n',
      'PLAY x RTSP/1.0\r\n',
      '$',
    );
    fc.assert(
      fc.property(prefixes, fc.uint8Array({ maxLength: 300 }), cuts, (prefix, tail, cutList) => {
        parseHostile(concat(ascii(prefix), tail), cutList);
      }),
      { numRuns: 300 },
    );
  });

  it('turns mutated camera bytes into messages or RtspProtocolError only', () => {
    const mutation = fc.record({
      at: fc.nat({ max: cameraExchange.length - 1 }),
      byte: fc.integer({ min: 0, max: 255 }),
      cut: fc.nat({ max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        cuts,
        (mutations, cutList) => {
          const bytes = Uint8Array.from(cameraExchange);
          for (const { at, byte } of mutations) bytes[at] = byte;
          const { at, cut } = mutations[0]!; // minLength 1
          parseHostile(
            concat(bytes.subarray(0, at), bytes.subarray(Math.min(at + cut, bytes.length))),
            cutList,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RtspMessageParser interleaved hot path', () => {
  it('returns views of the pushed chunk for 10k frames in one chunk', () => {
    const payload = Uint8Array.from({ length: 100 }, (_, i) => i);
    const chunk = concat(...Array.from({ length: 10_000 }, (_, i) => frame(i % 4, payload)));
    const parser = new RtspMessageParser();
    parser.push(chunk);
    for (let i = 0; i < 10_000; i++) {
      const message = parser.next();
      if (message?.kind !== 'interleaved') throw new Error(`frame ${i} missing`);
      expect(message.data.buffer).toBe(chunk.buffer);
      expect(message.data.byteOffset).toBe(i * 104 + 4);
      expect(message.channel).toBe(i % 4);
    }
    expect(parser.next()).toBeUndefined();
    expect(parser.buffered).toBe(0);
  });

  it('copies a frame that spans chunks, and never rewrites data it returned', () => {
    const bytes = concat(frame(0, [1, 2, 3, 4]), frame(1, [5, 6]));
    const parser = new RtspMessageParser();
    parser.push(bytes.slice(0, 6));
    expect(parser.next()).toBeUndefined();
    expect(parser.buffered).toBe(6);
    const second = bytes.slice(6);
    parser.push(second);
    const first = parser.next();
    const next = parser.next();
    expect(
      first?.kind === 'interleaved' && first.data.buffer !== second.buffer && [...first.data],
    ).toEqual([1, 2, 3, 4]);
    expect(
      next?.kind === 'interleaved' && next.data.buffer === second.buffer && [...next.data],
    ).toEqual([5, 6]);
    parser.push(frame(0, [9, 9, 9, 9]));
    parser.next();
    expect(first && summarize(first)).toEqual({
      kind: 'interleaved',
      channel: 0,
      data: [1, 2, 3, 4],
    });
  });
});
