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
