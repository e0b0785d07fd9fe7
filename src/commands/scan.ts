import type { Command } from 'commander';

/** `berth scan [image|project] [--json] [--severity LEVEL]`: image vulnerabilities through Trivy or Grype. */
export function register(program: Command): void {
  program
    .command('scan [target]')
    .description("scan images for known vulnerabilities with Trivy or Grype: a project's containers' images, one image, or every running container's")
    .option('--json', 'print the results as JSON')
    .option('--severity <level>', 'exit 1 when a finding is at or above it: CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN')
    .action(async (target: string | undefined, opts: { json?: boolean; severity?: string }, cmd: Command) => {
      const { scanCommand } = await import('../ops/scan/command.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await scanCommand({ target, json: !!opts.json, severity: opts.severity, host });
    });
}
