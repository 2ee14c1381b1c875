/** The embedded RTSP file server (DESIGN §4): `serve(root, options)`. */
export { serve, type RtspFileServer } from './rtsp-server.js';
export type { ServeAuth, ServeOptions } from './options.js';
