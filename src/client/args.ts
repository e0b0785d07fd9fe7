// The thin client's own reading of the command line: `berth` alone, or with only --host and
// --theme, is the dashboard, and goes straight to the server without loading the command
// parser. Anything else (a subcommand, --help, a typo) is commander's to read and explain.

export interface DashboardArgs {
  host?: string;
  theme?: string;
}

/** The dashboard's options when `args` asks for nothing but the dashboard, else null. */
export function dashboardArgs(args: readonly string[]): DashboardArgs | null {
  const out: DashboardArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    let value: string | undefined = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const key = flag === '-H' || flag === '--host' ? 'host' : flag === '--theme' ? 'theme' : null;
    if (!key || out[key] !== undefined) return null;
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || value.startsWith('-')) return null;
    }
    if (value === '') return null;
    out[key] = value;
  }
  return out;
}

/**
 * `berth server --prewarm [-H address]` as the client starts it: read here too, so the
 * server's cold start does not load the command parser either. Anything else: null.
 */
export function prewarmServerArgs(args: readonly string[]): { prewarm: true; host?: string } | null {
  if (args[0] !== 'server' || args[1] !== '--prewarm') return null;
  if (args.length === 2) return { prewarm: true };
  if (args.length === 4 && args[2] === '--host' && args[3]) return { prewarm: true, host: args[3] };
  return null;
}
