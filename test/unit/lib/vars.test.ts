// The one ${VAR} parser: the same text read in compose mode and in config mode.
import { describe, expect, it } from 'vitest';
import { expandVars, findVarRefs, VarError } from '../../../src/lib/vars.js';

const env = { A: 'x', EMPTY: '', NAME: 'shop' };

describe('expandVars', () => {
  it('compose mode: bare $VAR, every operator, unset is empty, malformed stays as written', () => {
    const x = (t: string) => expandVars(t, env, { mode: 'compose' });
    expect(x('$A ${A} ${B:-d} ${EMPTY-kept} ${A:+alt} ${B+alt} $$A ${NAME:-${A}}')).toBe('x x d  alt  $A shop');
    expect(x('${1A} ${A B} $ ${')).toBe('${1A} ${A B} $ ${');
    expect(() => x('${B:?set B in .env}')).toThrow(new VarError('required variable B is missing a value: set B in .env'));
  });

  it('config mode: braced only, defaults, nesting; malformed, unclosed and (when required) unset are errors', () => {
    const x = (t: string, required = false) => expandVars(t, env, { mode: 'config', required });
    expect(x('$A ${A} ${B:-d} ${EMPTY-kept} $$HOME $1 ${X:-${NAME:-n}-dev}')).toBe('$A x d  $HOME $1 shop-dev');
    expect(() => x('${A')).toThrow('unclosed ${ in "${A"');
    expect(() => x('${1A}')).toThrow('bad variable reference ${1A}');
    expect(() => x('${A:?no}')).toThrow('bad variable reference ${A:?no}');
    expect(() => x('${NOPE}', true)).toThrow('${NOPE} is not set');
    expect(x('${NOPE}')).toBe('');
  });

  it('finds every reference with its place, nested ones too', () => {
    expect(findVarRefs('a ${B:-${C}} $D').map((r) => [r.name, r.index, r.length, r.hasDefault])).toEqual([
      ['B', 2, 10, true],
      ['C', 7, 4, false],
      ['D', 13, 2, false],
    ]);
  });
});
