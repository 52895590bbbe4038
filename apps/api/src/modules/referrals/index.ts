import { GroupReferralsFieldResolver, ReferralResolver } from './referral.resolver.js';

// The referrals module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [ReferralResolver, GroupReferralsFieldResolver];
