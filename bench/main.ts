/**
 * `npm run bench [-- throughput|fleet|startup ...] [--quick] [--profile] [--compare-dist=DIR]
 * [--sessions=1,10 --transports=tcp --clients=rtspkit]`:
 * runs the chosen benchmarks (all by default) one after the other, prints each
 * table and writes bench/results/<name>.json. Benchmarks, not tests: nothing
 * here fails on a timing.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFleet, type FleetScenario } from './fleet.js';
import { runStartup } from './startup.js';
import { runThroughput } from './throughput.js';

const { values: flags, positionals: names } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    /** Also run the throughput client on another build (e.g. the previous commit's dist/). */
    'compare-dist': { type: 'string' },
    /** Fleet only: session counts, transports and clients to run (default: all). */
    sessions: { type: 'string' },
    transports: { type: 'string', default: 'tcp,udp' },
    clients: { type: 'string', default: 'rtspkit,ffmpeg' },
  },
});
const quick = flags.quick;
const wanted = (name: string): boolean => names.length === 0 || names.includes(name);
const media = (file: string): string => {
  const path = new URL(`.media/${file}`, import.meta.url).pathname;
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash bench/make-media.sh`);
  return path;
};
/** --profile: V8 CPU profiles of the rtspkit clients, in bench/results/profiles/<benchmark>/<client>/. */
const profileDir = (name: string): string | undefined =>
  flags.profile ? new URL(`results/profiles/${name}`, import.meta.url).pathname : undefined;
const list = (text: string): string[] => text.split(',').filter((item) => item !== '');

const sections: string[] = [];
if (wanted('throughput')) {
  console.log('== throughput ceiling');
  sections.push(
    await runThroughput({
      media: media('uhd-30m-10s.h264'),
      fps: 30,
      windowMs: quick ? 4000 : 10_000,
      rounds: quick ? 1 : 3,
      profileDir: profileDir('throughput'),
      compareDist: flags['compare-dist'],
    }),
  );
}
if (wanted('fleet')) {
  console.log('== real-time fleet');
  const counts = list(flags.sessions ?? (quick ? '1,10' : '1,10,100,200')).map(Number);
  const clients = list(flags.clients) as FleetScenario['client'][];
  const scenarios: FleetScenario[] = [];
  for (const transport of list(flags.transports) as FleetScenario['transport'][]) {
    // Every N at 2 Mbit/s, then the largest N again at 4 Mbit/s.
    const rates: Pick<FleetScenario, 'sessions' | 'mbit'>[] = counts.map((sessions) => ({
      sessions,
      mbit: 2,
    }));
    rates.push({ sessions: Math.max(...counts), mbit: 4 });
    for (const rate of rates)
      for (const client of clients) scenarios.push({ client, transport, ...rate });
  }
  media('fleet-2m.mp4');
  media('fleet-4m.mp4');
  sections.push(
    await runFleet({
      mediaDir: new URL('.media/', import.meta.url).pathname,
      scenarios,
      windowMs: (sessions) => (quick ? 5000 : sessions >= 100 ? 20_000 : 10_000),
      warmupMs: quick ? 2000 : 3000,
      fps: 25,
      profileDir: profileDir('fleet'),
    }),
  );
}
if (wanted('startup')) {
  console.log('== start-up');
  sections.push(
    await runStartup({ media: media('fleet-2m.h264'), fps: 25, attempts: quick ? 2 : 7 }),
  );
}
console.log(`\n${sections.join('\n\n')}`);
