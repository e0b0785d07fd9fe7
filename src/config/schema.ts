import { z } from 'zod';

export const hostSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, . _ - (it is typed on the command line)'),
    /** unix:///path, tcp://host:port (TLS with the files below) or ssh://user@host[:port] */
    address: z.string().regex(/^(unix|tcp|ssh):\/\/.+/, 'an address like unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host'),
    tls_ca: z.string().optional(),
    tls_cert: z.string().optional(),
    tls_key: z.string().optional(),
    tls_verify: z.boolean().default(true),
    /** refuse every write there (migrate --to, and more as berth learns many hosts) */
    read_only: z.boolean().default(false),
    color: z.string().optional(),
  })
  .strict();

export const projectSchema = z
  .object({
    name: z.string().min(1, 'must not be empty'),
    path: z.string().optional(),
    containers: z.array(z.string().min(1)).default([]),
    /** Its agent panes come back when their container restarts (overrides [panes] rerun_on_restart). */
    rerun_on_restart: z.boolean().optional(),
  })
  .strict();

export const userConfigSchema = z
  .object({
    theme: z.string().default('default'),
    engine: z
      .object({
        /** Overrides DOCKER_HOST / contexts when set. */
        host: z.string().optional(),
      })
      .strict()
      .default({}),
    stats: z
      .object({
        interval_ms: z.number().int().min(250).max(60_000).default(1000),
        /** Samples kept per container for sparklines. */
        history: z.number().int().min(2).max(3600).default(60),
      })
      .strict()
      .default({}),
    projects: z.array(projectSchema).default([]),
    /** Engines by name: berth migrate --from/--to take these (and docker contexts, and addresses). */
    hosts: z.array(hostSchema).default([]),
    scan: z
      .object({
        /** Scan running containers' images in the background when Trivy or Grype is installed (the VULN column). */
        background: z.boolean().default(true),
      })
      .strict()
      .default({}),
    server: z
      .object({
        /**
         * How long the server stays after its last session ended, so the next start is warm:
         * minutes as a number, or "90s", "10m", "1h"; 0 = exit at once (as tmux does).
         */
        linger: z
          .union([z.number().min(0).max(24 * 60), z.string().regex(/^\d+(\.\d+)?(s|m|h)$/, 'a number of minutes, or a duration like "90s", "10m", "1h"')])
          .default(10),
      })
      .strict()
      .default({}),
    panes: z
      .object({
        /** Mouse in workspaces, as tmux's `mouse on`: click focuses, the wheel scrolls (copy mode) or goes to programs that ask for the mouse. */
        mouse: z.boolean().default(false),
        /** A pane whose container stopped under it runs again when the container is back (its scrollback kept). */
        rerun_on_restart: z.boolean().default(true),
      })
      .strict()
      .default({}),
    notify: z
      .object({
        /** The states whose start calls you (bell, notification, command, webhook): add "done" to hear of a finished turn. */
        states: z.array(z.enum(['waiting', 'error', 'done', 'working', 'exited'])).default(['waiting', 'error']),
        /** A bell on every attached terminal when a pane starts waiting for you or fails. */
        bell: z.boolean().default(true),
        /** An OSC 9 desktop notification too (terminals that know it show it, over SSH as well). */
        desktop: z.boolean().default(true),
        /**
         * Your own command, its arguments passed without a shell; placeholders {project},
         * {session}, {pane}, {state}, {reason}, {container}, {message}. Empty: none.
         */
        command: z.array(z.string()).default([]),
        /** A URL that gets a JSON POST ({project, session, pane, state, reason, container, message, at}); 5 s timeout, no retries. */
        webhook: z.string().url('a URL like "https://hooks.example.com/berth"').optional(),
        /** Hours without bells, notifications, commands or webhooks ("22:00-07:00"); panes are still counted. */
        quiet: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'a span of hours like "22:00-07:00"')
          .optional(),
      })
      .strict()
      .default({}),
    logs: z
      .object({
        /** Lines kept per log view (a ring: the oldest go first). */
        max_lines: z.number().int().min(100).max(1_000_000).default(10_000),
        /** Lines fetched from the end of the log when a view opens. */
        tail: z.number().int().min(0).max(1_000_000).default(1000),
      })
      .strict()
      .default({}),
    /** Remapped keys: command name -> keys, e.g. restart = ["R"]. Checked by src/input/keymap.ts. */
    keys: z.record(z.string(), z.array(z.string().min(1)).min(1)).default({}),
    backup: z
      .object({
        /** Where archives go; default $XDG_DATA_HOME/berth/backups. */
        dir: z.string().optional(),
        /** Archives kept per volume by `berth backup --prune-old`. */
        keep: z.number().int().min(1).max(1000).default(7),
        /** Prune never removes a volume with a backup younger than this many days. */
        protect_days: z.number().min(0).max(3650).default(7),
        /** Volumes prune never removes unless named explicitly. */
        protect_volumes: z.array(z.string().min(1)).default([]),
        /** gzip level of archives (1 fastest … 9 smallest). */
        level: z.number().int().min(1).max(9).default(6),
        /** Backups `berth backup --due` runs when they are due ([[backup.schedule]]). */
        schedule: z
          .array(
            z
              .object({
                /** A project or a volume, as `berth backup` takes it. */
                target: z.string().min(1),
                /**
                 * "hourly", "daily 03:00", "weekly sun 03:00" or a cron expression; checked when
                 * schedules are read (ops/backup/schedule.ts), so the cron parser stays out of
                 * every start.
                 */
                when: z.string().min(1),
                /** Archives kept per volume (default [backup] keep). */
                keep: z.number().int().min(1).max(1000).optional(),
                /** Archives older than this many days go too; the newest always stays. */
                keep_days: z.number().min(0).max(36500).optional(),
                /** auto (databases stopped, the rest live), stop or live. */
                mode: z.enum(['auto', 'stop', 'live']).default('auto'),
                /** A logical dump of running databases too. */
                dump: z.boolean().default(false),
                /** Destination folder (default [backup] dir). */
                dest: z.string().min(1).optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({}),
  })
  .strict();

export type UserConfig = z.infer<typeof userConfigSchema>;

/** `[server] linger` in milliseconds. */
export function lingerMs(linger: number | string): number {
  if (typeof linger === 'number') return Math.round(linger * 60_000);
  const n = Number(linger.slice(0, -1));
  const unit = linger.slice(-1);
  return Math.round(n * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}
export type ProjectConfig = z.infer<typeof projectSchema>;
export type HostConfig = z.infer<typeof hostSchema>;
