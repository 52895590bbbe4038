import { Arg, Args, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../common/context.js';
import { Allow, SignedIn } from '../../common/authorization.js';
import { ConnectionType, PageArgs } from '../../common/pagination.js';
import { Group } from '../groups/group.entity.js';
import { loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventFilter, TimelineArgs } from './dto/audit.inputs.js';
import * as auditEvents from './audit.service.js';
import { AuditChainStatusType } from './audit-chain.types.js';

@ObjectType('AuditEventConnection')
export class AuditEventConnection extends ConnectionType('AuditEvent', AuditEvent) {}

@Resolver(() => AuditEvent)
@Allow('audit.read')
export class AuditEventResolver {
  @Allow('audit.read')
  @Query(() => AuditEventConnection, { description: 'The audit trail, newest first (data protection officer)' })
  auditEvents(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter?: AuditEventFilter,
  ) {
    return auditEvents.listAuditEvents(ctx, filter, page.first ?? 20, page.after);
  }

  @Allow('audit.read')
  @Query(() => AuditChainStatusType, {
    description: 'Recomputes the hash chain of the whole audit trail (data protection officer); the same check as `signpost audit verify`',
  })
  auditChainStatus(@Ctx() ctx: RequestContext) {
    return auditEvents.auditChainStatus(ctx);
  }

  // Whoever may read the event (the trail, or a group's timeline) reads all of it.
  @SignedIn()
  @FieldResolver(() => GraphQLJSONObject, { description: 'What changed: ids, states and field names, never personal data' })
  details(@Root() event: AuditEvent): Record<string, unknown> {
    return event.details ?? {};
  }

  @SignedIn()
  @FieldResolver(() => String, { description: 'The event as a sentence' })
  summary(@Root() event: AuditEvent): string {
    return auditEvents.describeEvent(event);
  }

  @SignedIn()
  @FieldResolver(() => User, { nullable: true })
  actor(@Ctx() ctx: RequestContext, @Root() event: AuditEvent) {
    return event.actorId ? loadUser(ctx, event.actorId) : null;
  }
}

@Resolver(() => Group)
@Allow('group.readInternal')
export class GroupTimelineResolver {
  @Allow('group.readInternal')
  @FieldResolver(() => [AuditEvent], { description: "The group's story, newest first: what was done, by whom, when" })
  timeline(@Ctx() ctx: RequestContext, @Root() group: Group, @Args(() => TimelineArgs) args: TimelineArgs) {
    return auditEvents.loadTimeline(ctx, group.id, args.first ?? 50);
  }
}
