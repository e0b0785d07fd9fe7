// Rewrites the README's generated tables (keys, and the recorded agent screens) (between their begin/end markers) from the
// key tables in the code: `npm run readme-tables`. The tests check they agree.
import fs from 'node:fs';
import { keyTableMarkdown } from '../src/input/keymap.js';
import { prefixKeyTableMarkdown } from '../src/workspace/paneCommands.js';
import { copyModeKeyTableMarkdown } from '../src/workspace/copyMode.js';
import { readScreenFixtures, screenTableMarkdown } from '../test/fixtures/screens/index.js';

const tables: Record<string, string> = {
  keys: keyTableMarkdown(),
  'pane-keys': prefixKeyTableMarkdown(),
  'copy-keys': copyModeKeyTableMarkdown(),
  screens: screenTableMarkdown(readScreenFixtures('test/fixtures/screens')),
};
let readme = fs.readFileSync('README.md', 'utf8');
for (const [name, table] of Object.entries(tables)) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${begin} … ${end}`);
  readme = `${readme.slice(0, a + begin.length)}\n${table}\n${readme.slice(b)}`;
}
fs.writeFileSync('README.md', readme);
