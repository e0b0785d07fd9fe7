#!/usr/bin/env node
// Builds dist/ with esbuild: src/cli.ts and everything it imports, node_modules included,
// as ES modules split at every dynamic import. The thin client (berth alone) loads two small
// files; the server loads its own chunks once. One file per chunk instead of hundreds of
// modules is what makes a cold start fast (see bench/README.md, "Where a cold start goes").
// Type checking is `npm run typecheck` (tsc); this only transpiles and bundles.
// BERTH_BUILD_NAMES=1 keeps function names (for readable CPU profiles: node --cpu-prof).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A package that reads files next to its own modules (dockerode's proto files) finds them
 * through __dirname: in the bundle, each such module gets its own __dirname again, the
 * folder it came from in node_modules, found from where the bundle is at run time.
 */
const moduleDirname = {
  name: 'module-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
      const dir = path.relative(root, path.dirname(args.path)).split(path.sep).join('/');
      const head = `var __dirname = __berthDir(${JSON.stringify(dir)}), __filename = __dirname + ${JSON.stringify(`/${path.basename(args.path)}`)};`;
      return { contents: `${head}\n${text}`, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });

/**
 * Parts of the Docker client berth's first frame never needs, required from node_modules at
 * run time, when first called, instead of bundled and read at every start: dockerode's
 * BuildKit session and progress decoder (gRPC and protobuf, for `docker build` with
 * BuildKit) and docker-modem's SSH transport (ssh2, for ssh:// engines). The calls
 * themselves are unchanged. A new version of a package that no longer has the line builds
 * as it is (loaded eagerly), with a warning.
 */
const runtimeRequire = (mod) => `require(__berthDir(${JSON.stringify(mod)}))`;
const LAZY = [
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    edits: [
      ["withSession = require('./session'),", `withSession = function () { return ${runtimeRequire('node_modules/dockerode/lib/session.js')}.apply(this, arguments); },`],
      ["var buildkit = require('./buildkit');", `var buildkit = ${runtimeRequire('node_modules/dockerode/lib/buildkit.js')};`],
    ],
  },
  {
    file: /docker-modem[\\/]lib[\\/]modem\.js$/,
    edits: [["ssh = require('./ssh'),", `ssh = function () { return ${runtimeRequire('node_modules/docker-modem/lib/ssh.js')}.apply(this, arguments); },`]],
  },
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(b) {
    for (const l of LAZY) {
      b.onLoad({ filter: l.file }, async (args) => {
        let text = await fs.promises.readFile(args.path, 'utf8');
        for (const [from, to] of l.edits) {
          if (text.includes(from)) text = text.replace(from, to);
          else console.warn(`build: ${path.relative(root, args.path)} no longer has ${JSON.stringify(from)}; bundled as it is`);
        }
        return { contents: text, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    }
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: false, minifySyntax: true, minifyIdentifiers: !process.env.BERTH_BUILD_NAMES,
  keepNames: false,
  legalComments: 'linked',
  // React's and Ink's production builds only (the development ones cost several times more
  // CPU per frame); this also leaves the development builds out of the bundle
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

// Everything but the thin client: ES modules (dist/main.mjs and its chunks), split at every
// dynamic import, so each command loads only what it needs.
const result = await build({
  ...common,
  metafile: process.env.BERTH_METAFILE !== undefined,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // Left in node_modules: node-pty (a native binary), ssh2's optional native speed-ups (it
  // falls back to JavaScript) and Ink's development tools, loaded only with DEV=true
  external: ['node-pty', 'cpu-features', '*.node', 'react-devtools-core'],
  plugins: [lazyRequires, moduleDirname],
  // CommonJS packages in an ES module bundle: their require() of Node's own modules, and
  // the folder their own files are in (see moduleDirname)
  banner: {
    js: [
      "import { createRequire as __berthRequire } from 'node:module';",
      "import { fileURLToPath as __berthPath } from 'node:url';",
      'const require = __berthRequire(import.meta.url);',
      "const __berthRoot = __berthPath(import.meta.url).replace(/[\\/]dist[\\/].*$/, '');",
      "const __berthDir = (rel) => __berthRoot + '/' + rel;",
    ].join(' '),
  },
});

// The entry, dist/cli.js: the thin client in one CommonJS file (dist/package.json says so).
// Node starts a CommonJS entry with about 2 MiB less memory than an ES module one
// (measured: a script that only waits, 40.2 MiB as .cjs against 42.2 MiB as .mjs); the
// client stays in the terminal all day. It imports main.mjs for everything else.
const mainOutside = {
  name: 'main-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: './main.mjs', external: true }));
  },
};
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  format: 'cjs',
  plugins: [mainOutside],
});
fs.writeFileSync(path.join(dist, 'package.json'), '{ "type": "commonjs" }\n');
fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
if (process.env.BERTH_METAFILE) fs.writeFileSync(process.env.BERTH_METAFILE, JSON.stringify(result.metafile));
