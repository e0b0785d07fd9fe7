// The files `berth init` writes, per template. Pure: name and template in, text out.
//
// Every template gives one long-running agent container per project: pinned base image,
// agent CLIs installed with pinned versions, a non-root user with the host's UID/GID,
// the project bind-mounted on /workspace, credential folders mounted from the host,
// named volumes for caches, agent state and dependencies, a health check, log rotation,
// a memory limit and secrets only from .env.

import { withClaudeHooks } from './hooks.js';

export const TEMPLATES = ['base', 'python', 'node', 'fullstack'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface TemplateOptions {
  template: TemplateName;
  /** Project name (compose-safe: lower case letters, digits, - and _). */
  name: string;
  /** Host user ids written into .env.example (default 1000). */
  uid?: number;
  gid?: number;
}

export interface ScaffoldFile {
  /** Path relative to the project folder. */
  path: string;
  content: string;
}

/** Pinned versions. Change them deliberately, one at a time. */
export const VERSIONS = {
  node: '22.16.0',
  nodeImage: 'node:22.16.0-bookworm-slim',
  pythonImage: 'python:3.12.10-slim-bookworm',
  postgresImage: 'postgres:16.9-bookworm',
  claudeCode: '2.1.330',
  codex: '0.169.0',
  geminiCli: '0.61.0',
} as const;

/** Where the agents keep their logins on the host, and where they go in the container. */
export const CREDENTIAL_MOUNTS: { host: string; container: string }[] = [
  { host: '~/.claude', container: '/home/agent/.claude' },
  { host: '~/.codex', container: '/home/agent/.codex' },
  { host: '~/.config/gemini', container: '/home/agent/.config/gemini' },
  // The gemini CLI keeps its login and settings in ~/.gemini.
  { host: '~/.gemini', container: '/home/agent/.gemini' },
];

export function containerName(name: string): string {
  return `${name}-agent`;
}

interface Spec {
  baseImage: string;
  packages: string[];
  /** Node is not in the base image and must be installed before the agent CLIs. */
  installNode: boolean;
  extraEnv: string[];
  /** Named volumes: [volume, path in the container]. */
  volumes: [string, string][];
  db: boolean;
}

const COMMON_PACKAGES = ['ca-certificates', 'curl', 'git', 'jq', 'less', 'openssh-client', 'procps', 'ripgrep', 'tmux', 'unzip'];

function specFor(t: TemplateName): Spec {
  const caches: [string, string][] = [
    ['cache', '/home/agent/.cache'],
    ['npm-cache', '/home/agent/.npm'],
    ['agent-data', '/home/agent/.local/share'],
  ];
  switch (t) {
    case 'base':
      return { baseImage: VERSIONS.nodeImage, packages: COMMON_PACKAGES, installNode: false, extraEnv: [], volumes: caches, db: false };
    case 'node':
      return {
        baseImage: VERSIONS.nodeImage,
        packages: [...COMMON_PACKAGES, 'build-essential', 'python3'],
        installNode: false,
        extraEnv: [],
        volumes: [...caches, ['node-modules', '/workspace/node_modules']],
        db: false,
      };
    case 'python':
      return {
        baseImage: VERSIONS.pythonImage,
        packages: [...COMMON_PACKAGES, 'build-essential'],
        installNode: true,
        extraEnv: ['PIP_DISABLE_PIP_VERSION_CHECK=1', 'VIRTUAL_ENV=/workspace/.venv', 'PATH=/workspace/.venv/bin:$PATH'],
        volumes: [...caches, ['venv', '/workspace/.venv']],
        db: false,
      };
    case 'fullstack':
      return {
        baseImage: VERSIONS.nodeImage,
        packages: [...COMMON_PACKAGES, 'build-essential', 'python3', 'python3-venv', 'python3-pip', 'postgresql-client'],
        installNode: false,
        extraEnv: [],
        volumes: [...caches, ['node-modules', '/workspace/node_modules'], ['venv', '/workspace/.venv']],
        db: true,
      };
  }
}

function dockerfile(o: TemplateOptions, s: Spec): string {
  const pkgLines = s.packages.map((p) => `        ${p}`).join(' \\\n');
  const nodeStep = s.installNode
    ? `      arch="$(uname -m)"; \\
      case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac; \\
      curl -fsSL -o /tmp/node.tar.gz "https://nodejs.org/dist/v\${NODE_VERSION}/node-v\${NODE_VERSION}-linux-\${arch}.tar.gz"; \\
      tar -xzf /tmp/node.tar.gz -C /usr/local --strip-components=1 --no-same-owner; \\
      rm /tmp/node.tar.gz; \\
`
    : '';
  const dirs = ['/workspace', ...s.volumes.map(([, p]) => p), ...CREDENTIAL_MOUNTS.map((c) => c.container)];
  const uniqueDirs = [...new Set(dirs)];
  const env = ['HOME=/home/agent', 'DISABLE_AUTOUPDATER=1', 'NPM_CONFIG_UPDATE_NOTIFIER=false', ...s.extraEnv];
  return `# Agent container for ${o.name}, written by \`berth init --template ${o.template}\`.
#
# Build args:
#   BASE_IMAGE        the pinned base image; change the version deliberately
#   USER_UID/USER_GID your host user's ids (id -u / id -g), so files in /workspace stay yours
#   INSTALL_PACKAGES  1 installs the system packages with apt-get; 0 skips that step
#   INSTALL_AGENTS    1 installs the agent CLIs (pinned versions below); 0 skips that step
ARG BASE_IMAGE=${s.baseImage}
FROM \${BASE_IMAGE}

ARG USER_UID=1000
ARG USER_GID=1000
ARG INSTALL_PACKAGES=1
ARG INSTALL_AGENTS=1
${s.installNode ? `ARG NODE_VERSION=${VERSIONS.node}\n` : ''}ARG CLAUDE_CODE_VERSION=${VERSIONS.claudeCode}
ARG CODEX_VERSION=${VERSIONS.codex}
ARG GEMINI_CLI_VERSION=${VERSIONS.geminiCli}

# The system packages follow the pinned base image's release (its security updates
# included) rather than exact versions, on purpose:
# hadolint ignore=DL3008
RUN set -eu; \\
    if [ "$INSTALL_PACKAGES" = 1 ]; then \\
      apt-get update; \\
      apt-get install -y --no-install-recommends \\
${pkgLines}; \\
      rm -rf /var/lib/apt/lists/*; \\
    fi

# The agent CLIs, installed as root into /usr/local so the agents cannot replace them.
RUN set -eu; \\
    if [ "$INSTALL_AGENTS" = 1 ]; then \\
${nodeStep}      npm install -g --no-fund --no-audit \\
        "@anthropic-ai/claude-code@\${CLAUDE_CODE_VERSION}" \\
        "@openai/codex@\${CODEX_VERSION}" \\
        "@google/gemini-cli@\${GEMINI_CLI_VERSION}"; \\
      npm cache clean --force; \\
    fi

# A user with the host's UID/GID. An existing user or group with those ids (the base
# image's "node" user, say) is removed first. Alpine-style images use adduser; minimal
# images without user tools get the entries written directly. UID 0 (berth init run as
# root): "agent" is another name for root, so /workspace stays writable for both.
RUN set -eu; \\
    if [ "$USER_UID" = 0 ]; then \\
      echo "agent:x:0:$USER_GID::/home/agent:/bin/sh" >> /etc/passwd; \\
    elif command -v useradd >/dev/null 2>&1; then \\
      old_user="$(getent passwd "$USER_UID" | cut -d: -f1 || true)"; \\
      if [ -n "$old_user" ] && [ "$old_user" != agent ]; then userdel --remove "$old_user" 2>/dev/null || userdel "$old_user"; fi; \\
      old_group="$(getent group "$USER_GID" | cut -d: -f1 || true)"; \\
      if [ -n "$old_group" ] && [ "$old_group" != agent ]; then groupdel "$old_group"; fi; \\
      groupadd --gid "$USER_GID" agent; \\
      useradd --uid "$USER_UID" --gid "$USER_GID" --create-home --home-dir /home/agent --shell /bin/bash agent; \\
    elif command -v adduser >/dev/null 2>&1; then \\
      addgroup -g "$USER_GID" agent; \\
      adduser -D -u "$USER_UID" -G agent -h /home/agent -s /bin/sh agent; \\
    else \\
      echo "agent:x:$USER_GID:" >> /etc/group; \\
      echo "agent:x:$USER_UID:$USER_GID::/home/agent:/bin/sh" >> /etc/passwd; \\
    fi; \\
    mkdir -p ${uniqueDirs.join(' ')}; \\
    chown -R "$USER_UID:$USER_GID" /workspace /home/agent

ENV ${env.join(' \\\n    ')}

USER agent
WORKDIR /workspace
CMD ["sleep", "infinity"]
`;
}

function logging(indent: string): string {
  return `${indent}logging:
${indent}  driver: json-file
${indent}  options:
${indent}    max-size: "10m"
${indent}    max-file: "3"
`;
}

function compose(o: TemplateOptions, s: Spec): string {
  const c = containerName(o.name);
  const volumeLines = [
    '      - .:/workspace',
    ...CREDENTIAL_MOUNTS.map((m) => `      - ${m.host}:${m.container}`),
    ...s.volumes.map(([v, p]) => `      - ${v}:${p}`),
  ].join('\n');
  const envLines = [
    '      ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY:-}',
    '      OPENAI_API_KEY: ${OPENAI_API_KEY:-}',
    '      GEMINI_API_KEY: ${GEMINI_API_KEY:-}',
    ...(s.db ? ['      DATABASE_URL: postgres://${POSTGRES_USER:-app}:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/${POSTGRES_DB:-app}'] : []),
  ].join('\n');
  const db = s.db
    ? `
  db:
    image: ${VERSIONS.postgresImage}
    restart: unless-stopped
    environment:
      POSTGRES_USER: \${POSTGRES_USER:-app}
      POSTGRES_DB: \${POSTGRES_DB:-app}
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
    volumes:
      - db-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U \\"$\${POSTGRES_USER}\\" -d \\"$\${POSTGRES_DB}\\""]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: 20s
    mem_limit: \${DB_MEM_LIMIT:-1g}
${logging('    ')}`
    : '';
  const volumes = [...s.volumes.map(([v]) => v), ...(s.db ? ['db-data'] : [])].map((v) => `  ${v}:`).join('\n');
  return `# Agent container for ${o.name}, written by \`berth init --template ${o.template}\`.
# Start it:  berth compose ${o.name} up        (or: docker compose up -d)
# Agents:    docker exec -it ${c} claude    (see .ntm/config.toml)
# Secrets come only from .env: copy .env.example to .env and fill it in; never commit .env.
services:
  agent:
    build:
      context: .
      args:
        USER_UID: \${USER_UID:-${o.uid ?? 1000}}
        USER_GID: \${USER_GID:-${o.gid ?? 1000}}
    container_name: ${c}
    init: true
    restart: unless-stopped
    command: ["sleep", "infinity"]
    working_dir: /workspace
    environment:
${envLines}
    volumes:
${volumeLines}
${s.db ? `    depends_on:
      db:
        condition: service_healthy
` : ''}    healthcheck:
      # Fails when /workspace is not writable, e.g. when USER_UID does not match yours.
      test: ["CMD-SHELL", "test -d /workspace && test -w /workspace"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
    mem_limit: \${AGENT_MEM_LIMIT:-8g}
    pids_limit: 4096
${logging('    ')}${db}
volumes:
${volumes}
`;
}

function envExample(o: TemplateOptions, s: Spec): string {
  const lines = [
    '# Copy this file to .env and fill it in: docker compose reads .env. Never commit .env.',
    '',
    '# Your host user and group ids (id -u / id -g), so files the agents write stay yours.',
    `USER_UID=${o.uid ?? 1000}`,
    `USER_GID=${o.gid ?? 1000}`,
    '',
    '# Memory limit of the agent container.',
    'AGENT_MEM_LIMIT=8g',
    '',
    '# API keys, only if you use keys instead of logging in',
    '# (logins are kept in ~/.claude, ~/.codex and ~/.gemini, mounted into the container).',
    'ANTHROPIC_API_KEY=',
    'OPENAI_API_KEY=',
    'GEMINI_API_KEY=',
  ];
  if (s.db) {
    lines.push('', '# The database (service "db").', 'POSTGRES_USER=app', 'POSTGRES_DB=app', '# Required: choose a password.', 'POSTGRES_PASSWORD=', 'DB_MEM_LIMIT=1g');
  }
  return lines.join('\n') + '\n';
}

function ntmConfig(o: TemplateOptions): string {
  const c = containerName(o.name);
  const cmd = (agent: string): string => `docker exec -it ${c} ${agent}`;
  return `# NTM agent commands for ${o.name}: every agent runs inside the project's container.
# berth reads this file too:  berth spawn ${o.name} --cc=2 --cod=1 --gmi=1
# The container is the sandbox, so you may add --dangerously-skip-permissions (claude),
# --dangerously-bypass-approvals-and-sandbox (codex) or --yolo (gemini) to the commands.

[agents]
claude = "${cmd('claude')}"
codex = "${cmd('codex')}"
gemini = "${cmd('gemini')}"

[agents.aliases]
cc = "${cmd('claude')}"
cod = "${cmd('codex')}"
gmi = "${cmd('gemini')}"
`;
}

const DOCKERIGNORE = `# Nothing from the project is copied into the image (it is bind-mounted on /workspace),
# so keep the build context small and secrets out of it.
.git
.env
.env.*
!.env.example
node_modules
.venv
__pycache__
*.pyc
dist
build
coverage
*.log
`;

/** The files of a template, in the order they are written. */
export function renderTemplate(o: TemplateOptions): ScaffoldFile[] {
  const s = specFor(o.template);
  return [
    { path: 'Dockerfile', content: dockerfile(o, s) },
    { path: 'compose.yaml', content: compose(o, s) },
    { path: '.env.example', content: envExample(o, s) },
    { path: '.dockerignore', content: DOCKERIGNORE },
    { path: '.ntm/config.toml', content: ntmConfig(o) },
    // Claude Code's hooks report each agent's state to berth at once (src/ops/scaffold/hooks.ts)
    { path: '.claude/settings.json', content: withClaudeHooks(null, '.claude/settings.json').text },
  ];
}
