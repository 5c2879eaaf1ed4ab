import type { z } from 'zod';

/**
 * Validation issues as one Swedish sentence per issue, each naming its field the way the API's
 * error formatter does ("event.text: Skriv en anteckning"), for an item answered on its own.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], pathPrefix?: string): string {
  return issues
    .map((issue) => {
      const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * The path of the first text in `value` that holds a NUL character, which PostgreSQL cannot store
 * in text or jsonb; undefined when there is none. Keys count as text too.
 */
export function pathOfNulCharacter(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = pathOfNulCharacter(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
