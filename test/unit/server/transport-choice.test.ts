import { describe, expect, it } from 'vitest';
import { chooseTransport } from '../../../src/server/transport-choice.js';
import { parseTransport } from '../../../src/rtsp/transport-header.js';

const choose = (value: string, used: number[] = []) =>
  chooseTransport(parseTransport(value), new Set(used));

describe('chooseTransport', () => {
  it('takes interleaved TCP with the requested channels', () => {
    expect(choose('RTP/AVP/TCP;unicast;interleaved=2-3')).toEqual({
      lowerTransport: 'tcp',
      interleaved: [2, 3],
    });
  });

  it('assigns free channels when none were requested or they are taken', () => {
    expect(choose('RTP/AVP/TCP;unicast')).toEqual({ lowerTransport: 'tcp', interleaved: [0, 1] });
    expect(choose('RTP/AVP/TCP;unicast;interleaved=0-1', [0, 1])).toEqual({
      lowerTransport: 'tcp',
      interleaved: [2, 3],
    });
  });

  it('takes unicast UDP with client ports', () => {
    expect(choose('RTP/AVP;unicast;client_port=5000-5001')).toEqual({
      lowerTransport: 'udp',
      clientPort: [5000, 5001],
    });
  });

  it('skips alternatives it cannot honour, in the client order', () => {
    expect(choose('RTP/AVP;multicast;port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1')).toEqual({
      lowerTransport: 'tcp',
      interleaved: [0, 1],
    });
    expect(choose('RTP/AVP;multicast')).toBeUndefined();
    expect(choose('RTP/AVP;unicast')).toBeUndefined();
    expect(choose('RTP/SAVP;unicast;client_port=5000-5001')).toBeUndefined();
  });
});
