import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { loadGroup } from '../groups/group.service.js';
import { Administrator } from '../administrators/administrator.entity.js';
import { loadAdministrator } from '../administrators/administrator.service.js';
import { ContactLogEntry } from './contact-log-entry.entity.js';
import { LogContactInput } from './dto/contact.inputs.js';
import * as contacts from './contact.service.js';

@Resolver(() => ContactLogEntry)
@Allow('contact.read')
export class ContactLogResolver {
  @Allow('contact.write')
  @Idempotent()
  @Mutation(() => ContactLogEntry, {
    description: "Log a contact with a group's administrators; moves the group along its lifecycle where the policy allows (read it back through `group`)",
  })
  logContact(@Ctx() ctx: RequestContext, @Arg('input', () => LogContactInput) input: LogContactInput) {
    return contacts.logContact(ctx, input);
  }

  @Allow('group.read')
  @FieldResolver(() => Group, { nullable: true, description: 'The group, with its status after this contact' })
  group(@Ctx() ctx: RequestContext, @Root() entry: ContactLogEntry) {
    return entry.group ?? loadGroup(ctx, entry.groupId);
  }

  @Allow('administrator.read')
  @FieldResolver(() => Administrator, { nullable: true, description: 'The recorded administrator the contact was with, if any (personal data)' })
  administrator(@Ctx() ctx: RequestContext, @Root() entry: ContactLogEntry) {
    return entry.administratorId ? loadAdministrator(ctx, entry.administratorId) : null;
  }
}

@Resolver(() => Group)
@Allow('contact.read')
export class GroupContactLogFieldResolver {
  @Allow('contact.read')
  @FieldResolver(() => [ContactLogEntry], { description: "The group's contact log, newest first" })
  contactLog(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return contacts.contactLogOfGroup(ctx, group.id);
  }
}
