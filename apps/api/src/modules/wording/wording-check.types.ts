import { Field, ObjectType } from 'type-graphql';
import type { WordingElement } from '@signpost/policy';
import { WordingElementEnum } from '../../common/graphql-enums.js';

@ObjectType('WordingElementResult', { description: 'What the wording check found for one required element' })
export class WordingElementResult {
  @Field(() => WordingElementEnum)
  element: WordingElement;

  @Field(() => Boolean)
  present: boolean;

  @Field(() => String, { description: 'What was found, or what to add' })
  explanation: string;

  @Field(() => String, { nullable: true, description: 'The text that satisfied the element, for highlighting' })
  matched: string | null;
}

@ObjectType('WordingCheckResult', { description: 'The wording check: passes only when no required element is missing' })
export class WordingCheckResult {
  @Field(() => Boolean)
  passes: boolean;

  @Field(() => [WordingElementEnum])
  missing: WordingElement[];

  @Field(() => [WordingElementResult], { description: 'Every element, present or not, in the order the policy reports them' })
  elements: WordingElementResult[];
}
