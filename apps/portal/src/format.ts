import type { EscalationStatus, GroupStatus, ReferralStatus, RiskLevel, Severity } from '@signpost/policy';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** A date as people write it here: 3 Dec 2026. */
export const formatDate = (iso: string | null | undefined): string => (iso ? DATE.format(new Date(iso)) : '—');

const NUMBER = new Intl.NumberFormat('en-GB');

/** A count as people write it here: 12,500. */
export const formatNumber = (n: number): string => NUMBER.format(n);

/** Whole days since a moment, in words. */
export function ageInDays(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '—';
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
}

type Tone = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

/** The colours repeat what the words say; nothing is told by colour alone. */
export const GROUP_STATUS_TONE: Record<GroupStatus, Tone> = {
  DISCOVERED: 'grey', CONTACTING: 'light-blue', ENGAGED: 'blue', WORDING_AGREED: 'turquoise', COMPLIANT: 'green',
  UNRESPONSIVE: 'orange', REFUSED: 'red', REFERRED: 'purple', ESCALATED: 'pink', CLOSED: 'grey',
};
export const RISK_TONE: Record<RiskLevel, Tone> = { LOW: 'grey', MEDIUM: 'yellow', HIGH: 'orange', CRITICAL: 'red' };
export const REFERRAL_STATUS_TONE: Record<ReferralStatus, Tone> = {
  DRAFT: 'grey', SUBMITTED: 'blue', ACKNOWLEDGED: 'turquoise', IN_PROGRESS: 'light-blue', CLOSED: 'grey',
};
export const SEVERITY_TONE: Record<Severity, Tone> = RISK_TONE;
export const ESCALATION_STATUS_TONE: Record<EscalationStatus, Tone> = { DRAFT: 'grey', APPROVED: 'turquoise', REPORTED: 'pink', CLOSED: 'grey' };

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A moment to the second, as people write it here: 3 Dec 2026, 14:05:09. */
export const formatDateTime = (iso: string | null | undefined): string => (iso ? DATE_TIME.format(new Date(iso)) : '—');
