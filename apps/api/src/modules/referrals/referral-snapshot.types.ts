import type { Affiliation, ConcernAction, ConcernCategory, ContactChannel, ContactDirection, ContactOutcome, Platform, PolicyStep, Severity } from '@signpost/policy';

/** The JSON frozen into referral_snapshots.data at submission. */
export interface SnapshotData {
  takenAt: string;
  group: { id: string; name: string; platform: Platform; handle: string | null; url: string | null };
  administrators: {
    id: string; handle: string; name: string | null; affiliation: Affiliation; affiliationMethod: string | null;
    universityId: string | null; contactDetails: string | null; notes: string | null;
  }[];
  contacts: {
    id: string; occurredAt: string; channel: ContactChannel; direction: ContactDirection; withWhom: string | null;
    summary: string; steps: PolicyStep[]; outcome: ContactOutcome;
  }[];
  concerns: {
    id: string; category: ConcernCategory; severity: Severity; link: string | null; description: string | null;
    seenAt: string; actionTaken: ConcernAction;
  }[];
}
