import net from 'node:net';

/**
 * Sends one RTSP request on a fresh connection and returns the response's
 * status code. Independent of rtspkit's own client, for harness checks.
 */
export function rtspStatus(
  port: number,
  method: string,
  pathName: string,
  credentials?: { user: string; pass: string },
): Promise<number> {
  return rawRtspExchange(port, method, pathName, credentials).then((r) => r.status);
}

export function rawRtspExchange(
  port: number,
  method: string,
  pathName: string,
  credentials?: { user: string; pass: string },
): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(new Error(`${method} timed out`)), 3000);
    let data = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      const headers = [`${method} rtsp://127.0.0.1:${port}/${pathName} RTSP/1.0`, 'CSeq: 1'];
      if (method === 'DESCRIBE') headers.push('Accept: application/sdp');
      if (credentials) {
        const token = Buffer.from(`${credentials.user}:${credentials.pass}`).toString('base64');
        headers.push(`Authorization: Basic ${token}`);
      }
      socket.write(headers.join('\r\n') + '\r\n\r\n');
    });
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      const match = /^RTSP\/1\.0 (\d{3})/.exec(data);
      if (!match)
        return reject(new Error(`not an RTSP response: ${JSON.stringify(data.slice(0, 80))}`));
      resolve({ status: Number(match[1]), head: data.slice(0, end) });
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
