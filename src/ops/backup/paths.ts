// Where backups go: [backup] dir in the user config, else $XDG_DATA_HOME/berth/backups.
import path from 'node:path';
import { dataDir } from '../../config/paths.js';
import type { UserConfig } from '../../config/schema.js';

export function backupDir(config: Pick<UserConfig, 'backup'>): string {
  const d = config.backup.dir;
  if (d) return path.resolve(d.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  return path.join(dataDir(), 'backups');
}
