/**
 * zod building blocks whose messages read well after "file:line:col: field: "
 * and before ", got <value>" (see ../validate.ts).
 */
import * as z from 'zod';

export function wholeNumber(min: number, max?: number): z.ZodInt {
  const msg = max === undefined ? `expected a whole number >= ${min}` : `expected a whole number from ${min} to ${max}`;
  const n = z.int({ error: msg }).min(min, { error: msg });
  return max === undefined ? n : n.max(max, { error: msg });
}

export function positiveNumber(max?: number): z.ZodNumber {
  const msg = max === undefined ? 'expected a number > 0' : `expected a number > 0 and <= ${max}`;
  const n = z.number({ error: msg }).positive({ error: msg });
  return max === undefined ? n : n.max(max, { error: msg });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what = 'one of'): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(values, { error: `expected ${what} ${values.join(', ')}` });
}

/** Object that rejects unknown fields and says which ones are allowed. */
export function strictObject<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        return allowed.length ? `unknown field; allowed here: ${allowed.join(', ')}` : 'unknown field; this mapping takes no fields';
      }
      if (iss.code === 'invalid_type') return 'expected a mapping (key: value lines)';
      return undefined;
    },
  });
}
