/**
 * The wording check (DOMAIN.md step 4): agreed wording must signpost to the
 * university's support or reporting facilities and to an external reputable
 * body, say that the page does not represent the university, and say how the
 * page handles user data. The check explains each element it finds or misses,
 * so officers can fix the text before asking the lead to approve it.
 *
 * The statement checks are deliberate heuristics (English phrases); the lead's
 * approval remains the real judgement.
 *
 * @packageDocumentation
 */

/** A university support or reporting page the wording may link to. */
export interface SupportLink {
  label: string;
  url: string;
}

/**
 * An external body that counts as a reputable source of support. It is
 * matched, case-insensitively and as whole words, by its name, the host of
 * its `url`, or any of its `keywords` (e.g. a helpline number).
 */
export interface ReputableBody {
  name: string;
  url?: string;
  keywords?: string[];
}

/** The university-specific part of the check, kept with the wording template. */
export interface WordingConfig {
  universityName: string;
  supportLinks: SupportLink[];
  reputableBodies: ReputableBody[];
}

/**
 * A plausible UK configuration, used by default, for demo data and in tests.
 * Frozen, so a caller cannot change the default for everyone by accident:
 * copy it to make a university's own configuration.
 */
export const DEFAULT_WORDING_CONFIG: WordingConfig = deepFreeze({
  universityName: 'the University',
  supportLinks: [
    { label: 'Wellbeing services', url: 'https://www.example.ac.uk/wellbeing' },
    { label: 'Report and Support', url: 'https://www.example.ac.uk/report-and-support' },
    { label: 'Student services', url: 'https://www.example.ac.uk/student-services' },
  ],
  reputableBodies: [
    { name: 'Samaritans', url: 'https://www.samaritans.org', keywords: ['116 123'] },
    { name: 'Shout', url: 'https://giveusashout.org', keywords: ['85258'] },
    { name: 'Student Minds', url: 'https://www.studentminds.org.uk' },
    { name: 'Mind', url: 'https://www.mind.org.uk', keywords: ['0300 123 3393'] },
    { name: 'Nightline', url: 'https://www.nightline.ac.uk' },
  ],
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The required elements of agreed wording. */
export type WordingElement = 'UNIVERSITY_SUPPORT' | 'REPUTABLE_BODY' | 'NON_REPRESENTATION' | 'DATA_HANDLING';

/** The required elements, in the order the check reports them. */
export const WORDING_ELEMENTS: readonly WordingElement[] = Object.freeze([
  'UNIVERSITY_SUPPORT',
  'REPUTABLE_BODY',
  'NON_REPRESENTATION',
  'DATA_HANDLING',
] satisfies WordingElement[]);

/** Human names of the elements, for messages and the portal. */
export const WORDING_ELEMENT_LABELS: Readonly<Record<WordingElement, string>> = Object.freeze({
  UNIVERSITY_SUPPORT: 'a university support or reporting link',
  REPUTABLE_BODY: 'an external reputable body',
  NON_REPRESENTATION: 'a statement that the page does not represent the university',
  DATA_HANDLING: 'a statement of how user data is handled',
});

/** The finding for one element. `matched` is the text found, for highlighting. */
export interface WordingElementResult {
  element: WordingElement;
  present: boolean;
  explanation: string;
  matched: string | null;
}

/** The result of checking a text: passes only when no element is missing. */
export interface WordingCheck {
  passes: boolean;
  elements: WordingElementResult[];
  missing: WordingElement[];
}

/**
 * Example wording that passes with `DEFAULT_WORDING_CONFIG`: one paragraph per
 * element, so demo data and tests can remove one at a time.
 */
export const WORDING_EXAMPLE = [
  'Welcome! This page is run independently by students. It is not affiliated with, endorsed by or run by the University, and it does not represent its views.',
  'Need support? Visit the University wellbeing service at https://www.example.ac.uk/wellbeing or report a concern at https://www.example.ac.uk/report-and-support.',
  'You can also talk to Samaritans any time, free, on 116 123, or text SHOUT to 85258.',
  'Your data: all submissions are anonymous. We do not collect names or IP addresses, and messages are deleted once they have been posted or rejected.',
].join('\n\n');

// ---------------------------------------------------------------------------
// URL handling

/**
 * Drop trailing characters matching a one-character test. A loop rather than
 * a `/…+$/` regex, which is quadratic on long runs of such characters.
 */
function trimTrailing(s: string, drop: RegExp): string {
  let end = s.length;
  while (end > 0 && drop.test(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/**
 * Normalise a URL for comparison: drop the scheme and a leading "www.",
 * lower-case the host, and drop trailing slashes and punctuation. The path
 * keeps its case, as web servers may distinguish it.
 */
export function normaliseUrl(raw: string): string {
  let s = trimTrailing(raw.trim(), /[.,;:!?]/);
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = s.search(/[/?#]/);
  const host = (cut === -1 ? s : s.slice(0, cut)).toLowerCase().replace(/^www\./, '');
  const rest = cut === -1 ? '' : s.slice(cut);
  const q = rest.search(/[?#]/);
  const path = trimTrailing(q === -1 ? rest : rest.slice(0, q), /\//);
  return host + path + (q === -1 ? '' : rest.slice(q));
}

/** The host part of a normalised URL. */
function hostOf(normalised: string): string {
  const cut = normalised.search(/[/?#]/);
  return cut === -1 ? normalised : normalised.slice(0, cut);
}

/** Whether a string is a plausible host name: dot-separated labels ending in a letters-only TLD. */
function isHostName(host: string): boolean {
  const labels = host.split('.');
  return (
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l)) &&
    /^[a-z]{2,}$/.test(labels[labels.length - 1]!)
  );
}

/**
 * URL-like tokens of the text (with or without scheme, "www." or path), as
 * written and normalised. Splitting on whitespace and brackets first keeps
 * this linear in the length of the text, whatever it contains.
 */
function urlsIn(text: string): { raw: string; normalised: string }[] {
  const out: { raw: string; normalised: string }[] = [];
  for (const token of text.split(/[\s<>"'()[\]{}]+/)) {
    let raw = trimTrailing(token.replace(/^[^\w]+/, ''), /[^\w/~=&%+-]/);
    const scheme = /https?:\/\//i.exec(raw);
    if (scheme) raw = raw.slice(scheme.index); // e.g. "Support:https://…"
    if (raw === '') continue;
    const normalised = normaliseUrl(raw);
    if (isHostName(hostOf(normalised).replace(/:\d+$/, ''))) out.push({ raw, normalised });
  }
  return out;
}

/** Whether a link in the text is the configured link or a page beneath it. */
function linkMatches(found: string, configured: string): boolean {
  return found === configured || [...'/?#'].some((sep) => found.startsWith(configured + sep));
}

// ---------------------------------------------------------------------------
// Phrase matching

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive whole-word pattern for a phrase, tolerant of spacing. */
function phrasePattern(phrase: string): RegExp {
  const body = phrase
    .trim()
    .split(/\s+/)
    .map(escapeRegExp)
    .join('\\s*');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

/** Verbs of running or endorsing a page, for "not … by/with/to". */
const RUN_OR_ENDORSE =
  'run|operated|managed|moderated|owned|controlled|endorsed|sponsored|approved|authori[sz]ed|affiliated|associated|connected|linked|represented|supported|sanctioned|monitored';

/** English phrases that state the page does not represent the university. */
const NON_REPRESENTATION_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\b(?:not|never|neither|[a-z]+n't)\\b[^.!?\\n]{0,40}?\\b(?:${RUN_OR_ENDORSE})\\s+(?:by|with|to)\\b`, 'i'),
  /\b(?:do(?:es)?\s+not|don't|doesn't|never|cannot|can't)\s+(?:\w+\s+)?(?:represent|speak\s+(?:for|on\s+behalf\s+of))\b/i,
  /\b(?:not|isn't|aren't)\s+(?:an?\s+|the\s+)?official\b/i,
  /\bunofficial\b/i,
  /\bindependent(?:ly)?\s+(?:of|from)\b/i,
  /\b(?:run|operated|managed)\s+independently\b/i,
  /\bindependently\s+(?:run|operated|managed)\b/i,
  /\bno\s+(?:official\s+|formal\s+)?(?:connection|affiliation|association|link|relationship)\s+(?:to|with)\b/i,
  /\bnot\s+(?:necessarily\s+)?(?:those|the\s+views?|the\s+opinions?)\s+of\b/i,
  /\bnot\s+(?:a\s+)?part\s+of\b/i,
];

/** English phrases that say how the page handles its users' data. */
const DATA_HANDLING_PATTERNS: readonly RegExp[] = [
  /\b(?:your|personal|user|users'|submitters?'?|our|any|no|the|this|such|identifying|contact)\s+data\b/i,
  /\bdata\s+(?:is|are|will|we|you|protection|handling|privacy|policy|retention|collected|stored|shared|deleted|kept|held|processed)\b/i,
  /\bpersonal\s+(?:information|details)\b/i,
  /\bprivacy\b/i,
  /\b(?:submissions?|messages?|posts?|entries|confessions?|questions?|responses?)\b[^.!?\n]{0,60}?\b(?:stored|deleted|kept|shared|retained|removed|saved|logged|collected|anonymous|anonymi[sz]ed|encrypted)\b/i,
  /\bwe\s+(?:do\s+not|don't|never|will\s+not|won't|cannot|can't)\s+(?:\w+\s+)?(?:collect|store|keep|share|record|log|save|sell|see|track|reveal|disclose|pass\s+on)\b/i,
  /\b(?:UK\s+)?GDPR\b/i,
  /\bIP\s+address(?:es)?\b/i,
];

function firstMatch(text: string, patterns: readonly RegExp[]): string | null {
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[0];
  }
  return null;
}

/** Shorten a quoted match so explanations stay readable. */
function quote(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return `"${flat.length > 80 ? `${flat.slice(0, 77)}...` : flat}"`;
}

// ---------------------------------------------------------------------------
// The elements

function checkUniversitySupport(text: string, config: WordingConfig): WordingElementResult {
  const found = urlsIn(text);
  for (const link of config.supportLinks) {
    const want = normaliseUrl(link.url);
    const hit = found.find((u) => linkMatches(u.normalised, want));
    if (hit) {
      return {
        element: 'UNIVERSITY_SUPPORT',
        present: true,
        explanation: `Links to university support: ${link.label} (${link.url}).`,
        matched: hit.raw,
      };
    }
  }
  const example = config.supportLinks[0];
  return {
    element: 'UNIVERSITY_SUPPORT',
    present: false,
    explanation: example
      ? `Add at least one university support or reporting link, such as ${example.url} (${example.label}).`
      : 'Add at least one university support or reporting link; none are configured yet, so ask the lead to add them to the wording settings.',
    matched: null,
  };
}

function checkReputableBody(text: string, config: WordingConfig): WordingElementResult {
  const found = urlsIn(text);
  for (const body of config.reputableBodies) {
    const byPhrase = [body.name, ...(body.keywords ?? [])].filter((p) => p.trim() !== '');
    for (const phrase of byPhrase) {
      const m = phrasePattern(phrase).exec(text);
      if (m) {
        return {
          element: 'REPUTABLE_BODY',
          present: true,
          explanation: `Names a reputable body: ${body.name} (found ${quote(m[0])}).`,
          matched: m[0],
        };
      }
    }
    if (body.url) {
      const host = hostOf(normaliseUrl(body.url));
      const hit = found.find((u) => {
        const h = hostOf(u.normalised);
        return h === host || h.endsWith(`.${host}`);
      });
      if (hit) {
        return {
          element: 'REPUTABLE_BODY',
          present: true,
          explanation: `Names a reputable body: ${body.name} (links to ${hit.raw}).`,
          matched: hit.raw,
        };
      }
    }
  }
  const names = config.reputableBodies.map((b) => b.name);
  return {
    element: 'REPUTABLE_BODY',
    present: false,
    explanation:
      names.length > 0
        ? `Add at least one external reputable body, such as ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}.`
        : 'Add at least one external reputable body; none are configured yet, so ask the lead to add them to the wording settings.',
    matched: null,
  };
}

function checkNonRepresentation(text: string, config: WordingConfig): WordingElementResult {
  const patterns = [...NON_REPRESENTATION_PATTERNS];
  if (config.universityName.trim() !== '') {
    patterns.push(new RegExp(`\\bnot\\s+${config.universityName.trim().split(/\s+/).map(escapeRegExp).join('\\s+')}\\b`, 'i'));
  }
  const matched = firstMatch(text, patterns);
  return matched
    ? {
        element: 'NON_REPRESENTATION',
        present: true,
        explanation: `States that the page does not represent ${config.universityName}: ${quote(matched)}.`,
        matched,
      }
    : {
        element: 'NON_REPRESENTATION',
        present: false,
        explanation: `Add a statement that the page does not represent ${config.universityName}, e.g. "This page is not run by, endorsed by or affiliated with ${config.universityName}."`,
        matched: null,
      };
}

function checkDataHandling(text: string): WordingElementResult {
  const matched = firstMatch(text, DATA_HANDLING_PATTERNS);
  return matched
    ? {
        element: 'DATA_HANDLING',
        present: true,
        explanation: `Says how user data is handled: ${quote(matched)}.`,
        matched,
      }
    : {
        element: 'DATA_HANDLING',
        present: false,
        explanation:
          'Add a statement of how the page handles user data, e.g. "Submissions are anonymous: we do not collect names or IP addresses, and messages are deleted once posted."',
        matched: null,
      };
}

/**
 * Check a wording text for the four required elements. Every element is
 * reported, present or not, with an explanation; `missing` lists those absent.
 */
export function checkWording(text: string, config: WordingConfig = DEFAULT_WORDING_CONFIG): WordingCheck {
  const t = String(text ?? '').replace(/[\u2018\u2019\u02bc]/g, "'");
  const elements: WordingElementResult[] = [
    checkUniversitySupport(t, config),
    checkReputableBody(t, config),
    checkNonRepresentation(t, config),
    checkDataHandling(t),
  ];
  const missing = elements.filter((e) => !e.present).map((e) => e.element);
  return { passes: missing.length === 0, elements, missing };
}
