/**
 * Fragmented MP4 (ISO/IEC 14496-12 §8.8) of one H.264/H.265 track and one
 * AAC or G.711 track, boxes serialised by mp4box. The header goes out at the
 * first keyframe that carries parameter sets; after that, every
 * `fragmentDurationMs` of media becomes a moof+mdat pair per track, so a
 * killed process leaves a file that plays up to its last whole fragment.
 */
import { createFile, type ISOFile } from 'mp4box';
import { parseAudioSpecificConfig } from '../../codecs/aac-config.js';
import { ErrorCodes, RtspError } from '../../errors.js';
import type { AudioFrame, VideoFrame } from '../../events/types.js';
import { writerClosedError, type FrameWriter } from '../frame-writer.js';
import { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from '../sink.js';
import { esdsBox, g711SampleEntry } from './audio-entries.js';
import { videoDecoderConfig, type VideoDecoderConfig } from './decoder-config.js';
import { fragmentHeader, headerBytes } from './fragment.js';
import { TrackTimeline, type FirstCapture } from './track-timeline.js';
import { lengthPrefixedSample } from './video-sample.js';

export interface Mp4VideoTrack {
  codec: 'h264' | 'h265';
  /** RTP clock rate (the track's timescale); default 90000 (RFC 6184 §8.2.1). */
  clockRate?: number;
}

export type Mp4AudioTrack =
  | {
      codec: 'aac';
      /** AudioSpecificConfig (SDP fmtp `config=`). */ config: Uint8Array;
      clockRate?: number;
    }
  | { codec: 'pcma' | 'pcmu'; sampleRate: number; channels?: number };

export interface Mp4WriterOptions extends OpenSinkOptions {
  video?: Mp4VideoTrack;
  audio?: Mp4AudioTrack;
  /** Media per fragment: what a killed process can lose at most. Default 500 ms. */
  fragmentDurationMs?: number;
}

const DEFAULT_FRAGMENT_MS = 500;
/** Bounds memory for high-bitrate streams whatever the fragment duration. */
const MAX_FRAGMENT_BYTES = 8 * 1024 * 1024;
const VIDEO_CLOCK_RATE = 90000;
/** A last video frame with no successor lasts 1/25 s when no duration was seen. */
const FALLBACK_FRAME_RATE = 25;
/** iso6: default-base-is-moof; the other brands say what players may assume. */
const BRANDS = ['iso6', 'isom', 'iso5', 'mp41'];

type Frame = VideoFrame | AudioFrame;

interface AudioSetup {
  sampleRate: number;
  channels: number;
  clockRate: number;
  /** Samples per frame, for the fallback duration. */
  frameSamples: number;
}

export class Mp4Writer implements FrameWriter<Frame> {
  framesWritten = 0;
  framesSkipped = 0;
  private readonly sink: ByteSink;
  private readonly audioSetup: AudioSetup | undefined;
  private readonly fragmentMs: number;
  private file: ISOFile | undefined;
  private video: TrackTimeline | undefined;
  private audio: TrackTimeline | undefined;
  /** Capture time of the file's first sample (the first video keyframe), set at the first fragment. */
  private origin: Readonly<FirstCapture> | undefined;
  private closed = false;

  constructor(
    target: SinkTarget,
    private readonly options: Mp4WriterOptions,
  ) {
    if (!options.video && !options.audio) {
      throw new RtspError(
        'Mp4Writer needs a video or an audio track',
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    this.audioSetup = options.audio && audioSetup(options.audio);
    this.fragmentMs = options.fragmentDurationMs ?? DEFAULT_FRAGMENT_MS;
    this.sink = createSink(target, options);
  }

  /** Whether the header is out (a keyframe with parameter sets arrived). */
  get started(): boolean {
    return this.file !== undefined;
  }

  async write(frame: Frame): Promise<void> {
    if (this.closed) throw writerClosedError('Mp4Writer');
    if (!this.file && !(await this.start(frame))) {
      this.framesSkipped++;
      return;
    }
    const added = 'keyframe' in frame ? this.addVideo(frame) : this.addAudio(frame);
    if (!added) {
      this.framesSkipped++;
      return;
    }
    this.framesWritten++;
    if (this.fragmentDue()) await this.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.video?.releaseHeld();
    this.audio?.releaseHeld();
    try {
      await this.flush();
    } finally {
      await this.sink.close();
    }
  }

  /** Writes the header when `frame` can open the file; false while waiting for a keyframe. */
  private async start(frame: Frame): Promise<boolean> {
    let videoConfig: VideoDecoderConfig | undefined;
    if (this.options.video) {
      if (!('keyframe' in frame) || !frame.keyframe || frame.codec !== this.options.video.codec)
        return false;
      videoConfig = videoDecoderConfig(this.options.video.codec, frame.data);
      if (!videoConfig) return false;
    } else if ('keyframe' in frame) {
      return false;
    }
    const file = createFile();
    file.init({ brands: BRANDS, timescale: 1000 });
    if (videoConfig) {
      const clockRate = this.options.video?.clockRate ?? VIDEO_CLOCK_RATE;
      const id = addVideoTrack(file, videoConfig, clockRate);
      this.video = new TrackTimeline(id, clockRate, Math.round(clockRate / FALLBACK_FRAME_RATE));
    }
    if (this.options.audio && this.audioSetup) {
      const setup = this.audioSetup;
      const id = addAudioTrack(file, this.options.audio, setup);
      this.audio = new TrackTimeline(
        id,
        setup.clockRate,
        Math.round((setup.frameSamples * setup.clockRate) / setup.sampleRate),
      );
    }
    this.file = file;
    await this.sink.write(headerBytes(file));
    return true;
  }

  private addVideo(frame: VideoFrame): boolean {
    if (!this.video || frame.codec !== this.options.video?.codec) return false;
    this.video.add(
      lengthPrefixedSample(frame.codec, frame.data),
      frame.timestamp,
      frame.keyframe,
      frame.receivedAt,
      frame.ntpTime,
    );
    return true;
  }

  private addAudio(frame: AudioFrame): boolean {
    if (!this.audio || frame.codec !== this.options.audio?.codec) return false;
    this.audio.add(frame.data, frame.timestamp, true, frame.receivedAt, frame.ntpTime);
    return true;
  }

  /**
   * Places a track relative to the file's first sample: by RTCP capture
   * times when both have them, else by arrival. Samples captured before the
   * file's start are dropped.
   */
  private place(timeline: TrackTimeline): void {
    const origin = (this.origin ??= { ...(this.video ?? timeline).captureEstimate });
    const own = timeline.captureEstimate;
    const offsetMs =
      origin.ntp !== undefined && own.ntp !== undefined
        ? own.ntp - origin.ntp
        : own.arrival! - origin.arrival!;
    const dropped = timeline.place(offsetMs);
    this.framesWritten -= dropped;
    this.framesSkipped += dropped;
  }

  private fragmentDue(): boolean {
    let bytes = 0;
    for (const timeline of [this.video, this.audio]) {
      if (!timeline) continue;
      if ((timeline.readyTicks * 1000) / timeline.timescale >= this.fragmentMs) return true;
      bytes += timeline.readyBytes;
    }
    return bytes >= MAX_FRAGMENT_BYTES;
  }

  private async flush(): Promise<void> {
    const file = this.file;
    if (!file) return;
    for (const timeline of [this.video, this.audio]) {
      if (!timeline || timeline.ready.length === 0) continue;
      if (!timeline.isPlaced) this.place(timeline);
      if (timeline.ready.length === 0) continue;
      const samples = timeline.takeReady();
      await this.sink.write(
        fragmentHeader(file, timeline.trackId, samples),
        ...samples.map((s) => s.data),
      );
    }
  }
}

function audioSetup(audio: Mp4AudioTrack): AudioSetup {
  if (audio.codec === 'aac') {
    const config = parseAudioSpecificConfig(audio.config);
    if (config.channels === 0) {
      throw new RtspError(
        'AAC with a program config element (channelConfiguration 0) is not recordable',
        ErrorCodes.ERR_RTSP_UNSUPPORTED,
      );
    }
    return {
      sampleRate: config.sampleRate,
      channels: config.channels,
      clockRate: audio.clockRate ?? config.sampleRate,
      frameSamples: config.frameLength,
    };
  }
  // G.711 (RFC 3551 §4.5.14): 8 kHz clock, one byte per sample; 20 ms packets are typical.
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels ?? 1,
    clockRate: audio.sampleRate,
    frameSamples: audio.sampleRate / 50,
  };
}

function addVideoTrack(file: ISOFile, config: VideoDecoderConfig, clockRate: number): number {
  const record = config.record.slice().buffer;
  return file.addTrack({
    type: config.codec === 'h264' ? 'avc1' : 'hvc1',
    hdlr: 'vide',
    name: 'rtspkit video',
    language: 'und',
    timescale: clockRate,
    width: config.width,
    height: config.height,
    ...(config.codec === 'h264'
      ? { avcDecoderConfigRecord: record }
      : { hevcDecoderConfigRecord: record }),
  });
}

function addAudioTrack(file: ISOFile, audio: Mp4AudioTrack, setup: AudioSetup): number {
  const id = file.addTrack({
    type: 'mp4a',
    hdlr: 'soun',
    name: 'rtspkit audio',
    language: 'und',
    timescale: setup.clockRate,
    channel_count: setup.channels,
    samplesize: 16,
    samplerate: setup.sampleRate,
    ...(audio.codec === 'aac' ? { description: esdsBox(audio.config) } : {}),
  });
  if (audio.codec !== 'aac') {
    // mp4box has no G.711 entry type to create: swap the 'mp4a' entry for one.
    const stsd = file.getTrackById(id).mdia.minf.stbl.stsd;
    stsd.entries = [g711SampleEntry(audio.codec, setup.sampleRate, setup.channels)];
  }
  return id;
}
