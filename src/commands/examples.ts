// An example or two for each command's --help (`berth help <command>` too), as git and the
// docker CLI print them. A test checks every command has some and that they name it.
export const EXAMPLES: Record<string, string[]> = {
  berth: ['berth                          the dashboard (starts the berth server when none runs)', 'berth spawn shop --cc=2 --cod=1', 'berth help spawn'],
  backup: ['berth backup volume:shop_db          one volume, verified', 'berth backup project:shop --dump     every volume of a project, databases dumped too', 'berth backup folder:./data --dry-run  what would be copied or stopped', 'berth backup --due --dry-run         the [[backup.schedule]] entries due now'],
  'backup schedule': ['berth backup schedule install --dry-run   the timer it would write', 'berth backup schedule uninstall'],
  compose: ['berth compose shop up --build', 'berth compose shop logs -f web', 'berth compose shop down --volumes    (asks first, names the volumes)'],
  df: ['berth df', 'berth df -v --json'],
  doctor: ['berth doctor                 the project of this folder', 'berth doctor shop --json', 'berth doctor --path ./svc --no-containers', 'berth doctor --sarif > berth.sarif    for CI code scanning'],
  init: ['berth init --template python --dry-run', 'berth init --template node --name shop'],
  migrate: ['berth migrate shop --to gpu-box --dry-run    what would move', 'berth migrate shop --from homelab --to gpu-box', 'berth migrate volume:shop_db --to tcp://10.0.0.5:2376 --stop -y'],
  proxy: ['berth proxy add shop web --host shop.example.com --port 8080 --tls --dry-run'],
  'proxy add': ['berth proxy add shop web --host shop.example.com --port 8080 --tls', 'berth proxy add ./blog app --host blog.internal --port 3000 --dry-run'],
  prune: ['berth prune --dry-run        what would go and what is kept', 'berth prune containers images -y', 'berth prune volumes --backup-volumes'],
  ps: ['berth ps', 'berth ps --json --no-stats'],
  scan: ['berth scan                      every running container\'s image', 'berth scan shop --severity HIGH    exit 1 on a high or critical finding (CI, pre-commit)', 'berth scan node:22.16.0 --json'],
  restore: ['berth restore ~/.local/share/berth/backups/shop_db/shop_db-20261122T100000000Z.tar.gz --to shop_db_copy', 'berth restore backup.tar.gz --to shop_db --force   (takes a safety backup first)'],
  attach: ['berth attach            the most recent session', 'berth attach shop -d     and detach the other terminals'],
  ls: ['berth ls', 'berth ls --json'],
  'kill-session': ['berth kill-session shop --dry-run', 'berth kill-session shop -y'],
  'kill-server': ['berth kill-server', 'berth kill-server -y'],
  server: ['berth server       in the foreground (berth and berth spawn start it when needed)'],
  spawn: ['cd ~/src/shop && berth spawn shop --cc=2 --cod=1', 'berth spawn shop --preset review', 'berth spawn shop --gmi=1 --layout main-vertical --prompt "read the README"'],
  add: ['berth add shop --cc=1', 'berth add shop --preset review'],
};

/** The text --help prints after the options. */
export function examplesText(name: string): string {
  const list = EXAMPLES[name];
  return list ? `\nExamples:\n${list.map((e) => `  $ ${e}`).join('\n')}\n` : '';
}
