import { badInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every record's id is a UUID; anything else is bad input, not "not found". */
export function requireId(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw badInput(field, `${field} is not a valid id.`);
  return value.toLowerCase();
}
