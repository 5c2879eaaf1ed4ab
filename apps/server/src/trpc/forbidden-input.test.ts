import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_CHARACTER,
  findForbiddenInput,
  hasForbiddenCharacter,
  MAX_INPUT_DEPTH,
} from './forbidden-input';

describe('hasForbiddenCharacter', () => {
  it('finds NUL and half surrogate pairs, and lets whole characters through', () => {
    for (const text of ['a\u0000b', '\ud800', 'a\udc00', 'slut\ud83d', '\ude42\ud83d']) {
      expect(hasForbiddenCharacter(text), JSON.stringify(text)).toBe(true);
    }
    for (const text of ['', 'Åsa Öberg', 'Bra 🙂', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'rad 1\nrad 2\ttab']) {
      expect(hasForbiddenCharacter(text), text).toBe(false);
    }
  });
});

describe('findForbiddenInput', () => {
  it('names the path of a bad text or key', () => {
    expect(findForbiddenInput({ a: [1, { b: 'x\u0000' }] })).toEqual({
      path: ['a', '1', 'b'],
      message: FORBIDDEN_CHARACTER,
    });
    expect(findForbiddenInput({ 'k\ud800': 1 })).toEqual({
      path: ['k\ud800'],
      message: FORBIDDEN_CHARACTER,
    });
    expect(findForbiddenInput({ first: '\u0000', second: '\u0000' })?.path).toEqual(['first']);
  });

  it('refuses input nested too deep without overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findForbiddenInput(deep)).toMatchObject({ message: 'Indata är för djupt nästlade' });
    let ok: unknown = 'bottom';
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) ok = { a: ok };
    expect(findForbiddenInput(ok)).toBeUndefined();
  });

  it('refuses input with too many values', () => {
    expect(findForbiddenInput(Array.from({ length: 150_000 }, () => 1))).toEqual({
      path: [],
      message: 'Indata har för många delar',
    });
    expect(findForbiddenInput(null)).toBeUndefined();
    expect(findForbiddenInput(['ok', 1, true, null, { a: 'b' }])).toBeUndefined();
  });
});
