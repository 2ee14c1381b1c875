import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import {
  formatTransport,
  parseTransport,
  type TransportSpec,
} from '../../../src/rtsp/transport-header.js';

describe('parseTransport', () => {
  it('reads TCP interleaved and UDP alternatives offered in one header', () => {
    expect(
      parseTransport('RTP/AVP/TCP;unicast;interleaved=0-1, RTP/AVP;unicast;client_port=5000-5001'),
    ).toEqual([
      { profile: 'RTP/AVP', lowerTransport: 'tcp', multicast: false, interleaved: [0, 1] },
      { profile: 'RTP/AVP', lowerTransport: 'udp', multicast: false, clientPort: [5000, 5001] },
    ]);
  });

  it('reads a server reply with ports, source, hex ssrc and quoted mode', () => {
    expect(
      parseTransport(
        'RTP/AVP/UDP;unicast;client_port=5000-5001;server_port=6970-6971;source=192.168.1.64;ssrc=5D2A8C41;mode="play"',
      ),
    ).toEqual([
      {
        profile: 'RTP/AVP',
        lowerTransport: 'udp',
        multicast: false,
        clientPort: [5000, 5001],
        serverPort: [6970, 6971],
        source: '192.168.1.64',
        ssrc: 0x5d2a8c41,
        mode: 'play',
      },
    ]);
  });

  it('reads multicast with destination, port and ttl', () => {
    expect(parseTransport('RTP/AVP;multicast;destination=224.2.0.1;port=3456-3457;ttl=16')).toEqual(
      [
        {
          profile: 'RTP/AVP',
          lowerTransport: 'udp',
          multicast: true,
          destination: '224.2.0.1',
          port: [3456, 3457],
          ttl: 16,
        },
      ],
    );
  });

  it('tolerates a single port, lower case, spaces and unknown parameters', () => {
    expect(
      parseTransport(
        ' rtp/avp/tcp ; unicast ; interleaved = 2 ; append ; x-vendor=1 ; ssrc=000000001',
      ),
    ).toEqual([
      { profile: 'RTP/AVP', lowerTransport: 'tcp', multicast: false, interleaved: [2, 3], ssrc: 1 },
    ]);
    expect(parseTransport('RTP/AVP;unicast;client_port=5000')[0]?.clientPort).toEqual([5000, 5001]);
  });

  it.each([
    '',
    'garbage',
    'RTP/AVP/SCTP',
    'RTP/AVP;client_port=abc',
    'RTP/AVP;client_port=70000',
    'RTP/AVP/TCP;interleaved=256-257',
    'RTP/AVP;ssrc=xyz',
    'RTP/AVP;ssrc=123456789',
    'RTP/AVP;ttl=300',
  ])('rejects %j with RtspProtocolError', (value) => {
    expect(() => parseTransport(value)).toThrow(RtspProtocolError);
  });

  it('throws nothing but RtspError on random values', () => {
    const piece = fc.constantFrom(
      'RTP/AVP',
      '/TCP',
      ';',
      ',',
      '=',
      'unicast',
      'client_port',
      'interleaved',
      'ssrc',
      '-',
      '0',
      '65536',
      'x',
      ' ',
      '"',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(piece).map((parts) => parts.join('')),
        ),
        (value) => {
          try {
            parseTransport(value);
          } catch (error) {
            expect(error).toBeInstanceOf(RtspError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formatTransport', () => {
  it('writes the profile, cast and parameters', () => {
    expect(
      formatTransport({
        profile: 'RTP/AVP',
        lowerTransport: 'tcp',
        multicast: false,
        interleaved: [0, 1],
        ssrc: 0xab,
      }),
    ).toBe('RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=000000AB');
    expect(
      formatTransport({
        profile: 'RTP/AVP',
        lowerTransport: 'udp',
        multicast: false,
        clientPort: [5000, 5001],
        source: undefined,
      }),
    ).toBe('RTP/AVP;unicast;client_port=5000-5001');
  });

  it('round-trips through parseTransport', () => {
    const pair = (max: number): fc.Arbitrary<[number, number]> =>
      fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max }));
    const host = fc.ipV4();
    const spec: fc.Arbitrary<TransportSpec> = fc.record(
      {
        profile: fc.constantFrom('RTP/AVP', 'RTP/SAVP', 'RTP/AVPF'),
        lowerTransport: fc.constantFrom('udp' as const, 'tcp' as const),
        multicast: fc.boolean(),
        interleaved: pair(255),
        clientPort: pair(65535),
        serverPort: pair(65535),
        port: pair(65535),
        source: host,
        destination: host,
        ssrc: fc.integer({ min: 0, max: 0xffffffff }),
        mode: fc.constantFrom('PLAY', 'RECORD'),
        ttl: fc.integer({ min: 0, max: 255 }),
      },
      { requiredKeys: ['profile', 'lowerTransport', 'multicast'] },
    );
    fc.assert(
      fc.property(spec, (value) => {
        expect(parseTransport(formatTransport(value))).toEqual([value]);
      }),
      { numRuns: 200 },
    );
  });
});
