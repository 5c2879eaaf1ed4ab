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

export { findForbiddenInput } from '../trpc/forbidden-input';
