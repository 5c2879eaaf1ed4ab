/*
 * Checks a call's raw input before its schema sees it, walking it with a stack of its own (a
 * recursive walk overflows on deep input, which was a 500) and within bounds, so that no input can
 * make the check itself slow. The HTTP gate (http/request-limits.ts) already refuses bodies nested
 * deeper than this; the bound here holds for calls made in-process too.
 */

/** How deep the input may nest (the same as the HTTP gate's MAX_JSON_DEPTH). */
export const MAX_INPUT_DEPTH = 32;
/** How many values (texts, numbers, lists, objects) one input may hold. */
export const MAX_INPUT_VALUES = 100_000;

export type InputProblem = { path: string[]; message: string };

export const FORBIDDEN_CHARACTER = 'Texten innehåller ett otillåtet tecken';

/**
 * True when the text holds a NUL character (PostgreSQL cannot store it in text or jsonb) or half of
 * a UTF-16 surrogate pair without the other half (no character at all: it cannot be written as
 * UTF-8, and PostgreSQL refuses it).
 */
export function hasForbiddenCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

/** A list or object being walked, with the way back to the input's root for the path. */
type Container = {
  value: object;
  key: string | null;
  parent: Container | null;
  depth: number;
};

function pathOf(container: Container | null, key?: string): string[] {
  const path: string[] = key === undefined ? [] : [key];
  for (let at = container; at?.key != null; at = at.parent) path.unshift(at.key);
  return path;
}

/** The first thing wrong with the input's shape or texts, with where it is; undefined if none. */
export function findForbiddenInput(input: unknown): InputProblem | undefined {
  if (typeof input === 'string') {
    return hasForbiddenCharacter(input) ? { path: [], message: FORBIDDEN_CHARACTER } : undefined;
  }
  if (typeof input !== 'object' || input === null) return undefined;
  // Only lists and objects are put on the stack; texts and numbers are checked where they are
  // met, so a body of a million small values costs one pass.
  const stack: Container[] = [{ value: input, key: null, parent: null, depth: 0 }];
  let values = 1;
  while (stack.length > 0) {
    const container = stack.pop() as Container;
    if (container.depth >= MAX_INPUT_DEPTH) {
      return { path: pathOf(container), message: 'Indata är för djupt nästlade' };
    }
    const record = container.value as Record<string, unknown>;
    // A long list is refused before its keys are made.
    if (Array.isArray(record) && values + record.length > MAX_INPUT_VALUES) {
      return { path: [], message: 'Indata har för många delar' };
    }
    const keys = Object.keys(record);
    values += keys.length;
    if (values > MAX_INPUT_VALUES) return { path: [], message: 'Indata har för många delar' };
    const children: Container[] = [];
    for (const key of keys) {
      if (hasForbiddenCharacter(key)) {
        return { path: pathOf(container, key), message: FORBIDDEN_CHARACTER };
      }
      const value = record[key];
      if (typeof value === 'string') {
        if (hasForbiddenCharacter(value)) {
          return { path: pathOf(container, key), message: FORBIDDEN_CHARACTER };
        }
      } else if (typeof value === 'object' && value !== null) {
        children.push({ value, key, parent: container, depth: container.depth + 1 });
      }
    }
    // Pushed in reverse, so what comes first in the input is walked first.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Container);
  }
  return undefined;
}
