import { dirname, join } from 'node:path';

/**
 * Path of an app's process entry (dist/main.js of @lnsgd/parameter-server or
 * @lnsgd/worker), resolved through the workspace so it works from any directory.
 *
 * @param app which app.
 */
export function appEntry(app: 'parameter-server' | 'worker'): string {
  return join(dirname(require.resolve(`@lnsgd/${app}`)), 'main.js');
}
