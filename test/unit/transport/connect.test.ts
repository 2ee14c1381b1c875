import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspAbortError, RtspConnectionError, RtspTimeoutError } from '../../../src/errors.js';
import {
  connectSocket,
  formatEndpoint,
  type ConnectRequest,
} from '../../../src/transport/connect.js';

function request(port: number, overrides: Partial<ConnectRequest> = {}): ConnectRequest {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    servername: '127.0.0.1',
    tls: undefined,
    timeoutMs: 2000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connectSocket (TCP)', () => {
  it('connects with Nagle off', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const socket = await connectSocket(request(port));
    expect(socket.remotePort).toBe(port);
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('says which address refused, as Node does', async () => {
    const port = await closedPort();
    const error = await connectSocket(request(port)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspConnectionError);
    expect(error).toMatchObject({
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      phase: 'connect',
    });
  });

  it('times out a connect that never completes', async () => {
    // Traffic stays on 127.0.0.1: a server that never answers the TLS handshake, and a 1 ms budget.
    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const error = await connectSocket(request(port, { timeoutMs: 1, secure: true })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RtspTimeoutError);
    expect(error).toMatchObject({
      timeoutMs: 1,
      message: `connect to 127.0.0.1:${port} timed out after 1 ms`,
    });
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('honours an AbortSignal, also one aborted before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(connectSocket(request(1, { signal: controller.signal }))).rejects.toBeInstanceOf(
      RtspAbortError,
    );
  });

  it('formats IPv6 endpoints in brackets', () => {
    expect(formatEndpoint('::1', 554)).toBe('[::1]:554');
    expect(formatEndpoint('cam.example', 554)).toBe('cam.example:554');
  });
});

describe('connectSocket (TLS, rtsps)', () => {
  let dir: string;
  let cert: string;
  let server: tls.Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rtspkit-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = tls.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (socket) =>
      socket.end(),
    );
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the certificate by default', async () => {
    const error = await connectSocket(request(port, { secure: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`^tls \\S+ 127\\.0\\.0\\.1:${port}: `));
  });

  it('connects when the CA is given', async () => {
    const socket = await connectSocket(request(port, { secure: true, tls: { ca: cert } }));
    expect(socket.remotePort).toBe(port);
    socket.destroy();
  });
});
