import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../router';
import { MutationSchema } from '../sync/schemas';

/*
 * Every text the API takes has a maximum, every list a longest length and every number a largest
 * value, read from the procedures' own input schemas: a new field without one fails here before an
 * attacker finds it (a draft field without a maximum once stored megabytes and stalled the PDF).
 */

type JsonSchema = {
  type?: string | string[];
  maxLength?: number;
  maxItems?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/**
 * Values whose shape is open on purpose, and why they are bounded all the same.
 * - a push's items are each checked on their own by MutationSchema (checked below);
 * - a draft's content is any JSON object of at most MAX_DRAFT_BYTES (sync/schemas.ts).
 */
const OPEN_ON_PURPOSE = new Set(['sync.push.mutations[]', 'sync.mutation.draft.data']);

function unbounded(schema: JsonSchema, path: string, found: string[]): void {
  if (OPEN_ON_PURPOSE.has(path)) return;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const fixed = schema.enum !== undefined || schema.const !== undefined;
  if (types.includes('string') && !fixed && schema.maxLength === undefined) {
    // A UUID's pattern has a fixed length.
    if (schema.format !== 'uuid') found.push(`${path}: a text without a maximum`);
  }
  if ((types.includes('number') || types.includes('integer')) && !fixed) {
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) {
      found.push(`${path}: a number without a maximum`);
    }
  }
  if (types.includes('array') && schema.maxItems === undefined && !schema.prefixItems) {
    found.push(`${path}: a list without a longest length`);
  }
  if (typeof schema.additionalProperties === 'object') {
    found.push(`${path}: an object with any keys`);
  }
  const composite = [schema.anyOf, schema.oneOf, schema.allOf].some(Boolean);
  if (types.length === 0 && !fixed && !composite) found.push(`${path}: any value`);
  for (const [key, inner] of Object.entries(schema.properties ?? {})) {
    unbounded(inner, `${path}.${key}`, found);
  }
  if (schema.items) unbounded(schema.items, `${path}[]`, found);
  for (const inner of schema.prefixItems ?? []) unbounded(inner, `${path}[]`, found);
  for (const inner of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    unbounded(inner, path, found);
  }
}

function unboundedIn(schema: z.ZodType, path: string): string[] {
  const found: string[] = [];
  unbounded(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
    path,
    found,
  );
  return found;
}

type ProcedureDef = { _def: { inputs: z.ZodType[] } };
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
);

describe('the bounds of every input', () => {
  it('are read from every procedure', () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(unboundedIn(z.object({ a: z.string() }), 'x')).toEqual([
      'x.a: a text without a maximum',
    ]);
  });

  for (const [path, procedure] of procedures) {
    it(`${path}: every text, list and number has a maximum`, () => {
      const found = procedure._def.inputs.flatMap((input) => unboundedIn(input, path));
      expect(found).toEqual([]);
    });
  }

  it('sync.push: every item kind', () => {
    expect(unboundedIn(MutationSchema, 'sync.mutation')).toEqual([]);
  });
});
