import { Field, ObjectType } from 'type-graphql';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { Concern } from './concern.entity.js';

@ObjectType('RecordConcernPayload', { description: 'The recorded concern and the group as it now stands' })
export class RecordConcernPayload {
  @Field(() => Concern, { description: 'The concern as recorded' })
  concern: Concern;

  @Allow('group.read')
  @Field(() => Group, { description: 'The group, with its risk level and next review raised if the concern called for it' })
  group: Group;

  @Field(() => Boolean, { description: 'Whether this concern calls for an escalation (a lead approves escalations)' })
  escalationPrompted: boolean;
}
