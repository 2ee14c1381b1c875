import { execFile } from 'node:child_process';

const checked = new Map<string, Promise<void>>();

/**
 * Fails with a message saying what to install when a tool the integration
 * tests need is missing. CI never skips: it installs them (.ci/run).
 */
export function requireTool(command: string, args: string[], what: string): Promise<void> {
  let check = checked.get(command);
  if (!check) {
    check = new Promise<void>((resolve, reject) => {
      execFile(command, args, { timeout: 20_000 }, (error) => {
        if (!error) return resolve();
        const skip =
          process.env.RTSPKIT_SKIP_INTEGRATION === '1'
            ? ''
            : ' (or set RTSPKIT_SKIP_INTEGRATION=1 to skip integration tests locally)';
        reject(
          new Error(
            `integration tests need ${what}; \`${command} ${args.join(' ')}\` failed: ${error.message}${skip}`,
          ),
        );
      });
    });
    checked.set(command, check);
  }
  return check;
}
