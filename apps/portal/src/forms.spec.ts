import { describe, expect, it } from 'vitest';
import { formFieldOf, humanise } from './forms.js';

const FIELDS = { url: { noun: 'The web address' }, occurredAt: { noun: 'The date of the contact' }, steps: { noun: 'The steps covered' } };

describe("the API's field errors, in people's words", () => {
  it("finds the form's field from the API's path", () => {
    expect(formFieldOf('input.url', FIELDS)).toBe('url');
    expect(formFieldOf('input.steps.0', FIELDS)).toBe('steps');
    expect(formFieldOf('input.groupId', FIELDS)).toBeNull();
    expect(formFieldOf('input', FIELDS)).toBeNull();
    expect(formFieldOf('input.constructor', FIELDS)).toBeNull();
  });

  it('names the field as the form does, says enum values with their labels, and drops the full stop', () => {
    expect(humanise('input.url must be an http or https link without a user name or password.', 'input.url', 'The web address')).toBe(
      'The web address must be an http or https link without a user name or password',
    );
    expect(humanise('occurredAt is in the future; give the time the contact happened.', 'input.occurredAt', 'The date of the contact')).toBe(
      'The date of the contact is in the future; give the time the contact happened',
    );
    expect(humanise('An inbound contact is a response, so its outcome cannot be NO_RESPONSE.', 'input.outcome', 'What came of it', { NO_RESPONSE: 'No response' })).toBe(
      'An inbound contact is a response, so its outcome cannot be ‘No response’',
    );
    expect(humanise('input.groupId must be a UUID', 'input.groupId', null)).toBe('input.groupId must be a UUID');
  });
});
