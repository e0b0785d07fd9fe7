import { z } from 'zod';

export const projectSchema = z
  .object({
    name: z.string().min(1, 'must not be empty'),
    path: z.string().optional(),
    containers: z.array(z.string().min(1)).default([]),
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
  })
  .strict();

export type UserConfig = z.infer<typeof userConfigSchema>;
export type ProjectConfig = z.infer<typeof projectSchema>;
