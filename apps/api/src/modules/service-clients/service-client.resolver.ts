import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { serviceClientActive, serviceClientNeedsApproval } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import { ApproveServiceClientInput, CreateServiceClientInput, RevokeServiceClientInput } from './dto/service-client.inputs.js';
import { ServiceClient } from './service-client.entity.js';
import * as clients from './service-client.service.js';

@ObjectType('CreateServiceClientPayload')
export class CreateServiceClientPayload {
  @Field(() => ServiceClient)
  client: ServiceClient;

  @Field(() => String, { description: 'The bearer token, shown this once: Signpost keeps only its hash. Send it as `Authorization: Bearer <token>`' })
  token: string;
}

/** Service clients are the administrator's (serviceClient.manage); row-level security backs this up. */
@Resolver(() => ServiceClient)
@Allow('serviceClient.manage')
export class ServiceClientResolver {
  @Allow('serviceClient.manage')
  @Query(() => [ServiceClient], { description: 'Every service client, active first (administrators)' })
  serviceClients(@Ctx() ctx: RequestContext) {
    return clients.listServiceClients(ctx);
  }

  @Allow('serviceClient.manage')
  @Mutation(() => CreateServiceClientPayload, { description: 'Create a service client; its token is in the payload, once' })
  createServiceClient(@Ctx() ctx: RequestContext, @Arg('input', () => CreateServiceClientInput) input: CreateServiceClientInput) {
    return clients.createServiceClient(ctx, input);
  }

  @Allow('serviceClient.manage')
  @Mutation(() => ServiceClient, { description: 'Approve a client whose scopes read referrals (a second administrator: not the one who created it); its token works from then on' })
  approveServiceClient(@Ctx() ctx: RequestContext, @Arg('input', () => ApproveServiceClientInput) input: ApproveServiceClientInput) {
    return clients.approveServiceClient(ctx, input);
  }

  @Allow('serviceClient.manage')
  @Mutation(() => ServiceClient, { description: "Stop a service client's token working, at once and for good" })
  revokeServiceClient(@Ctx() ctx: RequestContext, @Arg('input', () => RevokeServiceClientInput) input: RevokeServiceClientInput) {
    return clients.revokeServiceClient(ctx, input);
  }

  @FieldResolver(() => Boolean, { description: 'Whether its scopes read referrals, so that a second administrator must approve it before its token works' })
  approvalRequired(@Root() client: ServiceClient): boolean {
    return serviceClientNeedsApproval(client.scopes);
  }

  @FieldResolver(() => Boolean, { description: 'Whether its token works now: not revoked, and approved when it must be' })
  active(@Root() client: ServiceClient): boolean {
    return serviceClientActive(client);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The second administrator who approved it' })
  approvedBy(@Ctx() ctx: RequestContext, @Root() client: ServiceClient) {
    return client.approvedBy ? loadUser(ctx, client.approvedBy) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The administrator who created it; null when made with the command line' })
  createdBy(@Ctx() ctx: RequestContext, @Root() client: ServiceClient) {
    return client.createdBy ? loadUser(ctx, client.createdBy) : null;
  }
}
