// Backup and restore backend. The CLI (src/commands/backup.ts, restore.ts) and the
// dashboard call these; none of them prints.
export { planBackup, runBackup, sourceKey, archiveName, type BackupPlan, type BackupOptions, type BackupProgress, type BackupResult, type Consistency } from './backup.js';
export { restoreArchive, scanVolumeEntries, type RestoreOptions, type RestoreProgress, type RestoreResult } from './restore.js';
export { verifyArchive, readManifest, ArchiveError, type VerifyReport } from './archive.js';
export { listArchives, planRetention, applyRetention, latestBackup, type ArchiveFile, type RetentionPlan } from './retention.js';
export { dumpCommand, execToFile } from './dump.js';
export { databaseKind, usersOf, type BackupSource, type VolumeUser } from './engine.js';
export type { Manifest } from './manifest.js';
export { backupDir } from './paths.js';
