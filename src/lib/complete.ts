// Completing the first word of a command line from a list of names, as a shell's tab does:
// the one name that starts with it (and a space), else the longest start the candidates
// share. A line whose word is already followed by a space is left alone. Pure.

export function completeWord(line: string, names: readonly string[], ignoreCase = false): { line: string; candidates: string[] } {
  if (/\s/.test(line.trimStart())) return { line, candidates: [] };
  const fold = (x: string) => (ignoreCase ? x.toLowerCase() : x);
  const word = fold(line.trim());
  const candidates = names.filter((n) => fold(n).startsWith(word));
  if (candidates.length === 1) return { line: `${candidates[0]} `, candidates };
  let common = candidates[0] ?? word;
  for (const n of candidates) while (!fold(n).startsWith(fold(common))) common = common.slice(0, -1);
  return { line: common.length > word.length ? common : line, candidates };
}
