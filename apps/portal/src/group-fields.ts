import * as v from 'valibot';
import { GROUP_KINDS, GROUP_KIND_LABELS, LIMITS, PLATFORMS, PLATFORM_LABELS, RISK_LEVELS, RISK_LEVEL_LABELS } from '@signpost/policy';
import { choice, optionalText, optionalWebAddress, optionalWholeNumber, requiredText, yesNo } from './validation.js';

/**
 * A group's details as both its forms check them — recording a sighting and
 * changing the details: the same fields, the same messages.
 */
export const GROUP_DETAIL_FIELDS = {
  name: requiredText('Enter the name of the group', LIMITS.name, `The name must be ${LIMITS.name} characters or fewer`),
  platform: choice(PLATFORMS, 'Select the platform the group is on'),
  kind: choice(GROUP_KINDS, 'Select what kind of group it is'),
  handle: optionalText(LIMITS.handle, `The handle must be ${LIMITS.handle} characters or fewer`),
  url: optionalWebAddress(LIMITS.url, {
    invalid: 'Enter a web address that starts with http:// or https://',
    tooLong: `The web address must be ${LIMITS.url} characters or fewer`,
  }),
  audienceSize: optionalWholeNumber('Audience size must be a whole number, like 1200'),
  marketsToUniversity: yesNo("Select yes if the group markets itself to the university's students or staff"),
  discoveryMethod: optionalText(LIMITS.shortText, `How it was found must be ${LIMITS.shortText} characters or fewer`),
  riskLevel: choice(RISK_LEVELS, 'Select the risk level'),
  notes: optionalText(LIMITS.longText, `Notes must be ${LIMITS.longText} characters or fewer`),
};

/** The choices of a group's forms, in the policy's words. */
export const PLATFORM_OPTIONS = PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] }));
export const GROUP_KIND_OPTIONS = GROUP_KINDS.map((k) => ({ value: k, label: GROUP_KIND_LABELS[k] }));
export const RISK_OPTIONS = RISK_LEVELS.map((r) => ({ value: r, label: RISK_LEVEL_LABELS[r] }));
export const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
/** Words for the API's messages about a group's fields. */
export const GROUP_WORDS = { ...PLATFORM_LABELS, ...GROUP_KIND_LABELS, ...RISK_LEVEL_LABELS };
