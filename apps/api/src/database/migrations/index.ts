import { Initial1795725253891 } from './1795725253891-Initial.js';
import { RowLevelSecurity1795800000000 } from './1795800000000-RowLevelSecurity.js';
import { TamperEvidentAuditAndIdempotency1795800000100 } from './1795800000100-TamperEvidentAuditAndIdempotency.js';
import { ServiceClientsAndOidc1795800000200 } from './1795800000200-ServiceClientsAndOidc.js';
import { OneSourceOfRules1796300000000 } from './1796300000000-OneSourceOfRules.js';
import { AuditChainSealedAfterCommit1796400000000 } from './1796400000000-AuditChainSealedAfterCommit.js';
import { ReferralInboxIndex1796400000100 } from './1796400000100-ReferralInboxIndex.js';

// Every migration, oldest first. Never edit one that has been committed: add a new one.
export const MIGRATIONS: Function[] = [
  Initial1795725253891,
  RowLevelSecurity1795800000000,
  TamperEvidentAuditAndIdempotency1795800000100,
  ServiceClientsAndOidc1795800000200,
  OneSourceOfRules1796300000000,
  AuditChainSealedAfterCommit1796400000000,
  ReferralInboxIndex1796400000100,
];
