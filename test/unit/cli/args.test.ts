import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommandLine } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/cli-errors.js';
import { runWith } from './fake-session.js';

describe('rtspkit command line', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['probe'], /probe needs URL/],
    [['probe', 'http://cam/x'], /URL must start with rtsp:\/\//],
    [['probe', 'rtsp://a/b', 'rtsp://c/d'], /takes one URL/],
    [['events', 'rtsp://a/b', '--transport', 'quic'], /--transport must be tcp, udp or auto/],
    [['events', 'rtsp://a/b', '--timeout', 'soon'], /--timeout must be an integer/],
    [['events', 'rtsp://a/b', '--duration', '0'], /--duration must be a positive number/],
    [['events', 'rtsp://a/b', '--duration', '-3'], /Option '--duration' argument is ambiguous/],
    [['events', 'rtsp://a/b', '--frames', '0'], /--frames must be an integer from 1/],
    [['events', 'rtsp://a/b', '--no-audio', '--no-video'], /leave nothing to play/],
    [['events', 'rtsp://a/b', '--log-level', 'loud'], /--log-level must be one of/],
    [['events', 'rtsp://a/b', '--bogus'], /Unknown option '--bogus'/],
    [['dump', 'rtsp://a/b'], /dump needs -o FILE/],
    [['dump', 'rtsp://a/b', '-o', 'out.mp4'], /\.h264, \.h265 or \.mjpeg/],
    [['dump', 'rtsp://a/b', '--audio', 'out.mp3'], /\.aac or \.wav/],
    [['record', 'rtsp://a/b'], /record needs -o FILE\.mp4/],
    [['record', 'rtsp://a/b', '-o', 'x.h264'], /record writes \.mp4 files/],
    [['serve'], /serve needs DIR/],
    [['serve', 'dir', '--port', '70000'], /--port must be an integer from 0 to 65535/],
  ])('%j exits 2 and says what is wrong', async (argv, message) => {
    const run = await runWith(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Run 'rtspkit( \w+)? --help' for usage/);
    expect(run.stdout).toBe('');
    expect(run.flags).toBeUndefined(); // no session was opened
  });

  it('prints help with examples for every command, exit 0', async () => {
    const general = await runWith(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/Commands:[\s\S]*timing URL/);
    for (const command of ['probe', 'events', 'dump', 'record', 'timing', 'serve']) {
      const run = await runWith([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: rtspkit ${command}`));
      expect(run.stdout).toMatch(/Examples:/);
    }
    expect((await runWith(['help', 'dump'])).stdout).toMatch(/--audio FILE/);
  });

  it('prints the version', async () => {
    const run = await runWith(['--version']);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('applies defaults and the common flags', () => {
    expect(parseCommandLine(['events', 'rtsp://cam/x'])).toMatchObject({
      command: 'events',
      url: 'rtsp://cam/x',
      transport: 'auto',
      timeoutMs: 5000,
      video: true,
      audio: true,
      logLevel: 'silent',
      durationMs: undefined,
      frames: undefined,
    });
    expect(
      parseCommandLine([
        'timing',
        'rtsp://cam/x',
        '--transport',
        'tcp',
        '--timeout',
        '900',
        '--no-audio',
        '--json',
      ]),
    ).toMatchObject({
      transport: 'tcp',
      timeoutMs: 900,
      audio: false,
      json: true,
      durationMs: 10_000,
    });
    expect(
      parseCommandLine(['dump', 'rtsp://cam/x', '-o', 'a.H265', '--duration', '2.5']),
    ).toMatchObject({
      videoOut: { path: 'a.H265', kind: 'h265' },
      audioOut: undefined,
      video: true,
      audio: false, // no --audio: audio is not set up at all
      durationMs: 2500,
    });
    expect(parseCommandLine(['dump', 'rtsp://cam/x', '-o', '-'])).toMatchObject({
      videoOut: { path: '-', kind: undefined },
    });
    expect(parseCommandLine(['serve', 'media'])).toEqual({
      command: 'serve',
      root: 'media',
      host: '127.0.0.1',
      port: 8554,
      logLevel: 'silent',
    });
  });

  it('any argument list parses or is a UsageError, never another exception', () => {
    const token = fc.oneof(
      fc.constantFrom(
        ...COMMANDS,
        'help',
        '--help',
        '-h',
        '-o',
        '--audio',
        '--duration',
        '--frames',
        '--transport',
        '--timeout',
        '--json',
        '--report',
        '--with-data',
        '--no-audio',
        '--no-video',
        '--port',
        '--host',
        '--log-level',
        '--',
        '-',
      ),
      fc.constantFrom(
        'rtsp://cam/x',
        'rtsps://u:p@cam:322/a',
        'out.h264',
        'a.aac',
        'x.wav',
        'r.mp4',
        'tcp',
        'udp',
        '5',
        '0',
        '1.5',
        'debug',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        try {
          const parsed = parseCommandLine(argv);
          expect(typeof parsed.command).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
