import { describe, expect, it } from 'vitest';
import { redactingLogger, redactValue, silentLogger, type Logger } from '../../src/logger.js';

function recordingLogger(lines: unknown[][], bindings: Record<string, unknown> = {}): Logger {
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push([level, bindings, ...args]);
  return {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

describe('logger redaction', () => {
  it('masks URL passwords and Authorization values wherever they appear', () => {
    const lines: unknown[][] = [];
    const logger = redactingLogger(recordingLogger(lines)).child({
      url: 'rtsp://admin:S3cr3t!@cam/live',
    });
    logger.info(
      { headers: { Authorization: 'Basic YWRtaW46UzNjcjN0IQ==' }, nested: ['rtsp://a:S3cr3t!@h/'] },
      'DESCRIBE rtsp://admin:S3cr3t!@cam/live',
    );
    logger.warn({ err: new Error('connect to rtsp://admin:S3cr3t!@cam failed') });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('S3cr3t!');
    expect(text).not.toContain('YWRtaW46UzNjcjN0IQ==');
    expect(text).toContain('rtsp://admin:***@cam/live');
  });

  it('replaces binary payloads with their size', () => {
    expect(redactValue({ payload: new Uint8Array(5) })).toEqual({ payload: '<5 bytes>' });
  });

  it('is silent by default', () => {
    const logger = redactingLogger();
    expect(logger).toBe(silentLogger);
    expect(() => logger.child({ a: 1 }).error('nothing')).not.toThrow();
  });
});
