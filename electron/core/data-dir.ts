// Where the local store lives by default: the platform's application-data folder.
// Electron's main process uses app.getPath('userData') instead, which resolves the same way.
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'oip-desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.OIP_DATA_DIR) return path.resolve(env.OIP_DATA_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_FOLDER);
}
