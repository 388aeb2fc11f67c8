import { dirname, join } from 'node:path';

/**
 * Path of an app's process entry (dist/main.js of @lnsgd/parameter-server or
 * @lnsgd/worker, bin/lnsgd-metrics.js of @lnsgd/metrics), resolved through the
 * workspace so it works from any directory.
 *
 * @param app which app.
 */
export function appEntry(app: 'parameter-server' | 'worker' | 'metrics'): string {
  if (app === 'metrics') return join(dirname(require.resolve('@lnsgd/metrics/package.json')), 'bin', 'lnsgd-metrics.js');
  return join(dirname(require.resolve(`@lnsgd/${app}`)), 'main.js');
}
