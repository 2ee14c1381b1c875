/**
 * Writes the seed corpus, test/fixtures/fuzz-corpus/<target>/*.bin: the media
 * fixtures packetized by the project's own packetizers (ffmpeg extracts the
 * AAC access units), the camera exchange and camera SDPs of the unit tests,
 * header values cameras send, and recordings of real senders
 * (seeds-recorded.ts). Run: node --import tsx test/fuzz/make-corpus.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitAnnexB } from '../../src/codecs/annexb.js';
import { packetizeAac } from '../../src/packetizers/aac.js';
import { packetizeG711 } from '../../src/packetizers/g711.js';
import { packetizeH264 } from '../../src/packetizers/h264.js';
import { packetizeH265 } from '../../src/packetizers/h265.js';
import { packetizeJpeg } from '../../src/packetizers/mjpeg.js';
import type { RtpPayload } from '../../src/packetizers/packetizer.js';
import { serializeRtpPacket } from '../../src/rtp/packet.js';
import {
  concatRtcp,
  serializeBye,
  serializeReceiverReport,
  serializeSdes,
  serializeSenderReport,
} from '../../src/rtp/rtcp.js';
import { serializeResponse } from '../../src/rtsp/serialize.js';
import { cameraExchange } from '../unit/rtsp/fixtures/camera-exchange.js';
import {
  MARKER,
  SMALL_FRAME_CAP,
  STEP_SHIFT,
  TIMESTAMP_STEPS,
  VARIANT_SHIFT,
  WAIT_FOR_KEYFRAME,
} from './depacketizer-target.js';
import { FUZZ_DIR, SEED_DIR } from './files.js';
import { encodePackets, type FuzzPacket } from './packet-sequence.js';
import { ffmpegSeeds, serverSeeds } from './seeds-recorded.js';
import { FUZZ_PAYLOAD_TYPE, FUZZ_SSRC, RTCP_PACKET } from './targets/rtp.js';

const FIXTURES = join(FUZZ_DIR, '..', 'fixtures');
const encoder = new TextEncoder();
const text = (value: string): Uint8Array => encoder.encode(value);
const withControl = (control: number[], bytes: Uint8Array): Uint8Array =>
  Uint8Array.from([...control, ...bytes]);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

const corpus = new Map<string, Map<string, Uint8Array>>();
function seed(target: string, name: string, bytes: Uint8Array): void {
  if (!corpus.has(target)) corpus.set(target, new Map());
  corpus.get(target)!.set(name, bytes);
}

// --- Video access units of the fixtures: NAL units grouped up to each VCL NAL unit's end of picture.
function accessUnits(
  annexB: Uint8Array,
  isVcl: (nal: Uint8Array) => boolean,
  firstSliceOfPicture: (nal: Uint8Array) => boolean,
): Uint8Array[][] {
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let sawVcl = false;
  for (const nal of splitAnnexB(annexB)) {
    if (sawVcl && (!isVcl(nal) || firstSliceOfPicture(nal))) {
      units.push(current);
      current = [];
      sawVcl = false;
    }
    current.push(nal);
    sawVcl ||= isVcl(nal);
  }
  if (current.length > 0) units.push(current);
  return units;
}

/** One packet per payload; the first packet of each access unit advances the timestamp by `step`. */
function packetSequence(
  control: number,
  frames: readonly RtpPayload[][],
  stepIndex: number,
): Uint8Array {
  const packets: FuzzPacket[] = [];
  for (const payloads of frames) {
    payloads.forEach(({ payload, marker }, i) => {
      packets.push({
        payload,
        flags: (marker ? MARKER : 0) | ((i === 0 ? stepIndex : 0) << STEP_SHIFT),
      });
    });
  }
  return encodePackets([control], packets);
}

const STEP_3000 = TIMESTAMP_STEPS.indexOf(3000);
const STEP_1024 = TIMESTAMP_STEPS.indexOf(1024);
const STEP_160 = TIMESTAMP_STEPS.indexOf(160);

const h264Units = accessUnits(
  fixture('h264-720p.h264'),
  (nal) => (nal[0]! & 0x1f) >= 1 && (nal[0]! & 0x1f) <= 5,
  (nal) => (nal[1]! & 0x80) !== 0, // first_mb_in_slice = 0: ue(v) '1'
);
const h264Key = h264Units[0]!;
const h264Deltas = h264Units.slice(1, 7);
seed('h264', 'keyframe-fu-a', packetSequence(0, [packetizeH264(h264Key, 1400)], STEP_3000));
seed(
  'h264',
  'keyframe-stap-a-small-mtu-wait',
  packetSequence(WAIT_FOR_KEYFRAME, [packetizeH264(h264Key, 600, { aggregate: true })], STEP_3000),
);
seed(
  'h264',
  'delta-frames-stap-a',
  packetSequence(
    1 << VARIANT_SHIFT,
    h264Deltas.map((au) => packetizeH264(au, 1400, { aggregate: true })),
    STEP_3000,
  ),
);
seed(
  'h264',
  'delta-frames-small-cap',
  packetSequence(
    SMALL_FRAME_CAP | (3 << VARIANT_SHIFT),
    h264Deltas.slice(0, 3).map((au) => packetizeH264(au, 500)),
    STEP_3000,
  ),
);

const h265Type = (nal: Uint8Array): number => (nal[0]! >> 1) & 0x3f;
const h265Units = accessUnits(
  fixture('h265-360p.h265'),
  (nal) => h265Type(nal) < 32,
  (nal) => (nal[2]! & 0x80) !== 0,
);
seed('h265', 'keyframe-fu', packetSequence(0, [packetizeH265(h265Units[0]!, 1400)], STEP_3000));
seed(
  'h265',
  'keyframe-ap-small-mtu',
  packetSequence(
    1 << VARIANT_SHIFT,
    [packetizeH265(h265Units[0]!, 700, { aggregate: true })],
    STEP_3000,
  ),
);
seed(
  'h265',
  'delta-frames',
  packetSequence(
    0,
    h265Units.slice(1, 6).map((au) => packetizeH265(au, 1400, { aggregate: true })),
    STEP_3000,
  ),
);

// --- AAC: the access units of the stereo fixture, through ADTS (ffmpeg) with the headers removed.
const adts = new Uint8Array(
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    join(FIXTURES, 'aac-48k-stereo.m4a'),
    '-c',
    'copy',
    '-f',
    'adts',
    '-',
  ]),
);
const aacUnits: Uint8Array[] = [];
for (let at = 0; at + 7 <= adts.length && aacUnits.length < 24;) {
  const frameLength = ((adts[at + 3]! & 0x03) << 11) | (adts[at + 4]! << 3) | (adts[at + 5]! >> 5);
  const headerLength = (adts[at + 1]! & 0x01) === 1 ? 7 : 9; // protection_absent
  aacUnits.push(adts.subarray(at + headerLength, at + frameLength));
  at += frameLength;
}
/** Packets grouped by timestamp: the fragments of one AU share it (RFC 3640 §3.2.3.2). */
function aacPackets(aus: readonly Uint8Array[], mtu: number): RtpPayload[][] {
  const groups: RtpPayload[][] = [];
  let open = false;
  for (const packet of packetizeAac(aus, mtu)) {
    if (open) groups.at(-1)!.push(packet);
    else groups.push([packet]);
    open = !packet.marker;
  }
  return groups;
}
seed(
  'aac',
  'hbr-one-au-per-packet',
  packetSequence(0, aacPackets(aacUnits.slice(0, 8), 400), STEP_1024),
);
seed(
  'aac',
  'hbr-several-aus-per-packet',
  packetSequence(0, aacPackets(aacUnits.slice(8, 20), 1400), STEP_1024),
);
seed(
  'aac',
  'hbr-fragmented-aus',
  packetSequence(0, aacPackets(aacUnits.slice(20, 24), 120), STEP_1024),
);

// --- LATM: the same access units as AudioMuxElements (PayloadLengthInfo then the AU, RFC 6416 §6).
const latmElement = (au: Uint8Array): Uint8Array =>
  Uint8Array.from([
    ...Array<number>(Math.floor(au.length / 255)).fill(255),
    au.length % 255,
    ...au,
  ]);
seed(
  'latm',
  'one-au-per-packet',
  packetSequence(
    0,
    aacUnits.slice(0, 8).map((au) => [{ payload: latmElement(au), marker: true }]),
    STEP_1024,
  ),
);
seed(
  'latm',
  'fragmented-elements',
  packetSequence(
    0,
    aacUnits.slice(8, 12).map((au) => {
      const element = latmElement(au);
      const half = element.length >> 1;
      return [
        { payload: element.subarray(0, half), marker: false },
        { payload: element.subarray(half), marker: true },
      ];
    }),
    STEP_1024,
  ),
);

// --- MJPEG: the first frames of the lab file (5 ASCII digits of length, then the JPEG).
const lab = fixture('mjpeg-320x240.mjpeg');
const jpegs: Uint8Array[] = [];
for (let at = 0; at + 5 <= lab.length && jpegs.length < 3;) {
  const length = Number(new TextDecoder().decode(lab.subarray(at, at + 5)));
  jpegs.push(lab.subarray(at + 5, at + 5 + length));
  at += 5 + length;
}
seed(
  'mjpeg',
  'frames-mtu-1400',
  packetSequence(
    0,
    jpegs.slice(0, 2).map((jpeg) => packetizeJpeg(jpeg, 1400)),
    STEP_3000,
  ),
);
seed(
  'mjpeg',
  'frame-mtu-500-small-cap',
  packetSequence(SMALL_FRAME_CAP, [packetizeJpeg(jpegs[2]!, 500)], STEP_3000),
);

// --- G.711: the samples of the A-law WAV (after its 'data' chunk header), 20 ms per packet.
const pcma = fixture('pcma-8k.wav');
const dataChunk = Buffer.from(pcma).indexOf('data') + 8;
const g711Frames = packetizeG711(pcma.subarray(dataChunk, dataChunk + 160 * 12), 160).map((p) => [
  p,
]);
seed('g711', 'pcma-20ms', packetSequence(0, g711Frames, STEP_160));
seed(
  'g711',
  'stereo-variant',
  packetSequence(2 << VARIANT_SHIFT, g711Frames.slice(0, 4), STEP_160),
);

// --- RTP and RTCP: the H.264 packets with RTP headers, sender reports between them.
const rtpPayloads = [
  packetizeH264(h264Key.slice(0, 3), 1400),
  ...h264Deltas.slice(0, 3).map((au) => packetizeH264(au, 1400, { aggregate: true })),
];
const rtpDatagrams: Uint8Array[] = [];
let sequenceNumber = 65530; // wraps within the seed
rtpPayloads.forEach((payloads, frame) => {
  for (const { payload, marker } of payloads) {
    rtpDatagrams.push(
      serializeRtpPacket(
        {
          marker,
          payloadType: FUZZ_PAYLOAD_TYPE,
          sequenceNumber: sequenceNumber++,
          timestamp: 0xfffff000 + frame * 3000,
          ssrc: FUZZ_SSRC,
        },
        payload,
      ),
    );
  }
});
const block = {
  ssrc: 0x01020304,
  fractionLost: 12,
  cumulativeLost: -3,
  highestSeq: 0x0001fff0,
  jitter: 42,
  lsr: 0x12345678,
  dlsr: 65536,
};
const senderReport = concatRtcp([
  serializeSenderReport({
    ssrc: FUZZ_SSRC,
    ntpMsw: 0xe9a1b2c3,
    ntpLsw: 0x80000000,
    rtpTimestamp: 0xfffff000,
    packetCount: 10,
    octetCount: 12000,
    reports: [block],
  }),
  serializeSdes(FUZZ_SSRC, 'camera@192.168.1.64'),
]);
const rtpPackets: FuzzPacket[] = [
  { payload: senderReport, flags: RTCP_PACKET },
  ...rtpDatagrams.map((payload) => ({ payload, flags: 2 << 1 })),
];
seed('rtp', 'tcp-in-order', encodePackets([0x02], rtpPackets));
// UDP: two packets swapped, one lost, one duplicated, a pause that lets the window's timer fire.
const udp = [...rtpPackets];
[udp[2], udp[3]] = [udp[3]!, udp[2]!];
udp.splice(5, 1);
udp.splice(7, 0, udp[6]!);
udp.push({ payload: serializeBye(FUZZ_SSRC, 'bye'), flags: RTCP_PACKET | (6 << 1) | 0x10 });
seed('rtp', 'udp-reordered-lost-duplicate', encodePackets([0x01], udp));

seed('rtcp', 'sr-sdes', senderReport);
seed(
  'rtcp',
  'rr-sdes',
  concatRtcp([
    serializeReceiverReport({ ssrc: 0x01020304, reports: [block, { ...block, ssrc: FUZZ_SSRC }] }),
    serializeSdes(0x01020304, 'rtspkit-01020304'),
  ]),
);
seed('rtcp', 'bye-with-reason', serializeBye(FUZZ_SSRC, 'stream ended'));
// An APP packet (204) with padding, then an RR: what a compound packet from a camera can hold.
seed(
  'rtcp',
  'app-padded-rr',
  Uint8Array.from([
    0xa0,
    0xcc,
    0x00,
    0x03,
    0x5d,
    0x2a,
    0x8c,
    0x41,
    0x71,
    0x74,
    0x73,
    0x61,
    0x00,
    0x00,
    0x00,
    0x04,
    ...serializeReceiverReport({ ssrc: FUZZ_SSRC }),
  ]),
);

// --- RTSP: the recorded camera exchange, whole and with each chunking mode; responses carrying the camera SDPs.
seed('rtsp-parser', 'camera-exchange-bytewise', withControl([0, 0], cameraExchange));
seed('rtsp-parser', 'camera-exchange-chunks', withControl([0, 3], cameraExchange));
seed('rtsp-parser', 'camera-exchange-small-limits', withControl([1, 2], cameraExchange));
const sdpFiles = readdirSync(join(FIXTURES, 'sdp'))
  .filter((name) => name.endsWith('.sdp'))
  .sort();
for (const name of sdpFiles) {
  const body = fixture(join('sdp', name));
  seed('sdp', name.replace(/\.sdp$/, ''), body);
  const response = serializeResponse({
    status: 200,
    headers: {
      CSeq: '3',
      'Content-Type': 'application/sdp',
      'Content-Base': 'rtsp://127.0.0.1/cam/',
    },
    body,
  });
  seed('rtsp-parser', `describe-${name.replace(/\.sdp$/, '')}`, withControl([0, 1], response));
}

const HEADER_SEEDS: [parser: number, name: string, value: string][] = [
  [
    0,
    'hikvision-digest-and-basic',
    'Digest realm="IP Camera(C2183)", nonce="a3f2a1c9d1e0b", stale="FALSE"\nBasic realm="IP Camera(C2183)"',
  ],
  [
    0,
    'digest-sha256-qop',
    'Digest realm="cam", nonce="0a4f113b", opaque="5ccc069c", algorithm=SHA-256, qop="auth,auth-int", userhash=true, Digest realm="cam", nonce="x", algorithm=MD5',
  ],
  [0, 'unquoted-uppercase', 'DIGEST REALM = cam , NONCE=abc,Negotiate YII/+w=='],
  [1, 'tcp-interleaved', 'RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=5d2a8c41;mode="play"'],
  [
    1,
    'udp-ports',
    'RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;source=192.168.1.64;ssrc=00000000DEADBEEF',
  ],
  [
    1,
    'offers',
    'RTP/AVP;multicast;destination=239.0.0.1;port=5004;ttl=16,RTP/AVP/TCP;interleaved=2',
  ],
  [2, 'session-timeout', '1273222592;timeout=60'],
  [2, 'session-odd', '  47112344 ; Timeout = "65" ;'],
  [
    3,
    'rtp-info-two',
    'url=rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1;seq=2000;rtptime=12345, url=rtsp://h/a;b,c/trackID=2;seq=7;rtptime=4294967295',
  ],
  [
    4,
    'url-credentials',
    'rtsp://admin:p%40ss@192.168.1.64:554/Streaming/Channels/101?transportmode=unicast',
  ],
  [4, 'url-ipv6-at-in-password', 'rtsps://user:p@ss@[fe80::1]:322/live'],
  [5, 'npt-open', 'npt=0-'],
  [5, 'npt-clock', 'npt=1:02:03.5-2:00:00;time=20240305T100000Z'],
  [5, 'npt-now', 'npt=now-'],
];
for (const [parser, name, value] of HEADER_SEEDS)
  seed('rtsp-headers', name, withControl([parser], text(value)));

// --- Codec configuration: fmtp configs, the fixtures' SPS, sprop lists, a JPEG.
for (const config of ['1190', '1210', '1310', '1194', '1408', '2b920800', '13100560e5a0']) {
  seed('codec-config', `asc-${config}`, withControl([0], Buffer.from(config, 'hex')));
}
seed(
  'codec-config',
  'h264-sps-fixture',
  withControl(
    [1],
    h264Key.find((nal) => (nal[0]! & 0x1f) === 7)!,
  ),
);
seed(
  'codec-config',
  'h264-sps-hikvision',
  withControl([1], Buffer.from('Z00AKpY1QPAET8s3AQEBAg==', 'base64')),
);
seed(
  'codec-config',
  'h265-sps-fixture',
  withControl(
    [2],
    h265Units[0]!.find((nal) => h265Type(nal) === 33)!,
  ),
);
seed(
  'codec-config',
  'sprop-list',
  withControl([3], text('Z01AH9oBQBbsBEAAAAMAQAAADIPGDKg=,aO88gA==')),
);
seed('codec-config', 'jpeg-frame', withControl([4], jpegs[0]!));

for (const [target, name, bytes] of [
  ...(await ffmpegSeeds(FIXTURES)),
  ...(await serverSeeds(FIXTURES)),
])
  seed(target, name, bytes);

rmSync(SEED_DIR, { recursive: true, force: true });
let total = 0;
for (const [target, entries] of corpus) {
  mkdirSync(join(SEED_DIR, target), { recursive: true });
  for (const [name, bytes] of entries) {
    writeFileSync(join(SEED_DIR, target, `${name}.bin`), bytes);
    total += bytes.length;
  }
  console.log(`${target}: ${entries.size} inputs`);
}
console.log(`${total} bytes in ${SEED_DIR}`);
