// A stand-in `trivy` for tests (no scanner is installable here): it answers `version --format
// json` like Trivy (with or without a vulnerability database) and `image … IMAGE` with a real
// Trivy report (test/fixtures/scan/trivy-debian-buster.json) for images whose name contains
// the word given, an empty report for the others. Without a database, a scan fails the way
// Trivy does when it cannot download one. Each scan is logged to `calls` (one line per image).
import fs from 'node:fs';
import path from 'node:path';

export const TRIVY_REPORT = path.resolve(import.meta.dirname, '../fixtures/scan/trivy-debian-buster.json');

export function writeStandinTrivy(dir: string, o: { vulnerable: string; db?: boolean; delaySeconds?: number; burnSeconds?: number }): { bin: string; calls: string } {
  fs.mkdirSync(dir, { recursive: true });
  const calls = path.join(dir, 'calls.log');
  const db = o.db ?? true;
  const version = db
    ? '{"Version":"0.56.2","VulnerabilityDB":{"Version":2,"NextUpdate":"2026-12-08T12:00:00Z","UpdatedAt":"2026-12-08T06:00:00Z","DownloadedAt":"2026-12-08T07:00:00Z"}}'
    : '{"Version":"0.56.2"}';
  const script = `#!/bin/sh
if [ "$1" = version ]; then echo '${version}'; exit 0; fi
if [ "$1" = image ]; then
  for a in "$@"; do img="$a"; done
  echo "$img" >> '${calls}'
  ${o.delaySeconds ? `sleep ${o.delaySeconds}` : ':'}
  ${o.burnSeconds ? `end=$(( $(date +%s) + ${o.burnSeconds} )); while [ "$(date +%s)" -lt "$end" ]; do :; done` : ':'}
  ${db ? '' : `echo '2026-12-08T07:00:00Z	FATAL	Fatal error	init error: DB error: failed to download vulnerability DB: database download error: OCI repository error: dial tcp: lookup ghcr.io: no such host' >&2; exit 1`}
  case "$img" in
    *${o.vulnerable}*) cat '${TRIVY_REPORT}' ;;
    *) echo '{"SchemaVersion":2,"ArtifactName":"'"$img"'","ArtifactType":"container_image","Results":[]}' ;;
  esac
  exit 0
fi
echo "trivy stand-in: $*" >&2
exit 2
`;
  const bin = path.join(dir, 'trivy');
  fs.writeFileSync(bin, script, { mode: 0o755 });
  return { bin, calls };
}
