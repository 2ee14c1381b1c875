import { describe, expect, it } from 'vitest';
import { parsePublic } from '../../../src/rtsp/public-header.js';

describe('parsePublic', () => {
  it('upper-cases and trims method names', () => {
    expect(parsePublic('OPTIONS, describe,SETUP ,, play, GET_PARAMETER')).toEqual(
      new Set(['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'GET_PARAMETER']),
    );
  });

  it('is empty without the header', () => {
    expect(parsePublic(undefined).size).toBe(0);
    expect(parsePublic('  ').size).toBe(0);
  });
});
