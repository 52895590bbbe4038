import { describe, expect, it } from 'vitest';
import {
  checkWording,
  DEFAULT_WORDING_CONFIG,
  normaliseUrl,
  WORDING_ELEMENTS,
  WORDING_EXAMPLE,
  type WordingConfig,
  type WordingElement,
} from './wording-check.js';

const PARAGRAPHS = WORDING_EXAMPLE.split('\n\n');
/** Which paragraph of the example carries which element. */
const PARAGRAPH_OF: Record<WordingElement, number> = {
  NON_REPRESENTATION: 0,
  UNIVERSITY_SUPPORT: 1,
  REPUTABLE_BODY: 2,
  DATA_HANDLING: 3,
};
const without = (element: WordingElement) => PARAGRAPHS.filter((_, i) => i !== PARAGRAPH_OF[element]).join('\n\n');
const result = (text: string, element: WordingElement, config?: WordingConfig) =>
  checkWording(text, config).elements.find((e) => e.element === element)!;

describe('checkWording', () => {
  it('passes the example wording, reporting every element as present with what matched', () => {
    const check = checkWording(WORDING_EXAMPLE);
    expect(check.passes).toBe(true);
    expect(check.missing).toEqual([]);
    expect(check.elements.map((e) => e.element)).toEqual([...WORDING_ELEMENTS]);
    for (const e of check.elements) {
      expect(e.present).toBe(true);
      expect(e.matched).toBeTruthy();
      expect(e.explanation.length).toBeGreaterThan(10);
    }
    expect(result(WORDING_EXAMPLE, 'UNIVERSITY_SUPPORT')).toMatchObject({
      matched: 'https://www.example.ac.uk/wellbeing',
      explanation: expect.stringContaining('Wellbeing services'),
    });
    expect(result(WORDING_EXAMPLE, 'REPUTABLE_BODY').explanation).toContain('Samaritans');
  });

  it('the example has one paragraph per element', () => {
    expect(PARAGRAPHS).toHaveLength(4);
  });

  it.each([...WORDING_ELEMENTS])('fails without the %s paragraph, naming only that element', (element) => {
    const check = checkWording(without(element));
    expect(check.passes).toBe(false);
    expect(check.missing).toEqual([element]);
    const r = result(without(element), element);
    expect(r.present).toBe(false);
    expect(r.matched).toBeNull();
    expect(r.explanation).toMatch(/^Add /);
  });

  it('explains what to add for each missing element', () => {
    const check = checkWording('');
    expect(check.passes).toBe(false);
    expect(check.missing).toEqual([...WORDING_ELEMENTS]);
    const by = Object.fromEntries(check.elements.map((e) => [e.element, e.explanation]));
    expect(by.UNIVERSITY_SUPPORT).toBe(
      'Add at least one university support or reporting link, such as https://www.example.ac.uk/wellbeing (Wellbeing services).',
    );
    expect(by.REPUTABLE_BODY).toBe('Add at least one external reputable body, such as Samaritans, Shout, Student Minds, Mind or Nightline.');
    expect(by.NON_REPRESENTATION).toContain('does not represent the University');
    expect(by.DATA_HANDLING).toContain('handles user data');
  });

  describe('UNIVERSITY_SUPPORT', () => {
    it.each([
      'https://www.example.ac.uk/wellbeing',
      'http://www.example.ac.uk/wellbeing',
      'https://example.ac.uk/wellbeing/',
      'www.example.ac.uk/wellbeing',
      'example.ac.uk/report-and-support',
      'HTTPS://WWW.EXAMPLE.AC.UK/student-services',
      'See (https://www.example.ac.uk/wellbeing).',
      'Counselling: https://www.example.ac.uk/wellbeing/counselling',
      'https://www.example.ac.uk/wellbeing?utm_source=insta',
      'Support:https://www.example.ac.uk/wellbeing',
      '[Wellbeing](https://www.example.ac.uk/wellbeing)',
      '<https://www.example.ac.uk/wellbeing>',
      '“www.example.ac.uk/wellbeing”',
    ])('finds a configured link in %j', (text) => {
      expect(result(text, 'UNIVERSITY_SUPPORT').present).toBe(true);
    });

    it.each([
      'https://www.example.ac.uk/',
      'https://www.example.ac.uk/wellbeingcentre',
      'https://www.example.ac.uk/Wellbeing',
      'https://www.example.com/wellbeing',
      'https://evil-example.ac.uk/wellbeing',
      'Visit the wellbeing service',
      'wellbeing@example.ac.uk',
    ])('does not accept %j', (text) => {
      expect(result(text, 'UNIVERSITY_SUPPORT').present).toBe(false);
    });

    it('uses the configured links', () => {
      const config: WordingConfig = {
        ...DEFAULT_WORDING_CONFIG,
        supportLinks: [{ label: 'Report', url: 'https://report.uni.example/' }],
      };
      expect(result('Report at report.uni.example', 'UNIVERSITY_SUPPORT', config).present).toBe(true);
      expect(result(WORDING_EXAMPLE, 'UNIVERSITY_SUPPORT', config)).toMatchObject({
        present: false,
        explanation: expect.stringContaining('https://report.uni.example/'),
      });
    });

    it('explains when no links are configured', () => {
      const config: WordingConfig = { ...DEFAULT_WORDING_CONFIG, supportLinks: [] };
      expect(result(WORDING_EXAMPLE, 'UNIVERSITY_SUPPORT', config).explanation).toMatch(/none are configured/);
    });
  });

  describe('REPUTABLE_BODY', () => {
    it.each([
      ['Talk to the samaritans', 'Samaritans'],
      ['Call 116123 any time', 'Samaritans'],
      ['Text SHOUT to 85258', 'Shout'],
      ['student minds can help', 'Student Minds'],
      ['See https://www.mind.org.uk/information-support', 'Mind'],
      ['Contact your Nightline', 'Nightline'],
      ['info at studentminds.org.uk', 'Student Minds'],
    ])('finds a body in %j', (text, body) => {
      const r = result(text, 'REPUTABLE_BODY');
      expect(r.present).toBe(true);
      expect(r.explanation).toContain(body);
    });

    it.each(['Samaritansville is nice', 'Reminders are posted daily', 'Call 911 6123'])(
      'does not accept %j',
      (text) => {
        expect(result(text, 'REPUTABLE_BODY').present).toBe(false);
      },
    );

    it('uses the configured bodies', () => {
      const config: WordingConfig = { ...DEFAULT_WORDING_CONFIG, reputableBodies: [{ name: 'Papyrus', keywords: ['HOPELINE247'] }] };
      expect(result('Call HOPELINE247', 'REPUTABLE_BODY', config).present).toBe(true);
      expect(result(WORDING_EXAMPLE, 'REPUTABLE_BODY', config)).toMatchObject({
        present: false,
        explanation: 'Add at least one external reputable body, such as Papyrus.',
      });
    });
  });

  describe('NON_REPRESENTATION', () => {
    it.each([
      'This is not an official University account.',
      'This page is unofficial.',
      'We are not affiliated with the University.',
      "This page isn't endorsed by the uni.",
      'Not run, endorsed or affiliated with the University in any way.',
      'This account does not represent the University.',
      "We don't speak for the University.",
      'This page is independent of the University.',
      'This page is run independently by students.',
      'We have no connection with the University.',
      'Views posted here are not those of the University.',
      'This page is not the University.',
      'We are not part of the University.',
      'This page is neither run nor endorsed by the University.',
    ])('finds %j', (text) => {
      expect(result(text, 'NON_REPRESENTATION').present).toBe(true);
    });

    it('understands curly apostrophes', () => {
      expect(result('This page isn’t affiliated with the University.', 'NON_REPRESENTATION').present).toBe(true);
    });

    it.each([
      'This is the official University confessions page.',
      'Run by the University student union.',
      'We represent the students of the University.',
      'Post your confessions here!',
    ])('does not accept %j', (text) => {
      expect(result(text, 'NON_REPRESENTATION').present).toBe(false);
    });
  });

  describe('DATA_HANDLING', () => {
    it.each([
      'Your data is deleted after 30 days.',
      'We never share personal information.',
      'Read our privacy notice.',
      'All submissions are anonymous.',
      'Messages are deleted once posted.',
      'We do not collect names.',
      "We don't store IP addresses.",
      'We comply with UK GDPR.',
      'No data is kept.',
    ])('finds %j', (text) => {
      expect(result(text, 'DATA_HANDLING').present).toBe(true);
    });

    it.each(['We love data science memes.', 'Post your confessions here!', 'Submit anything you like.'])(
      'does not accept %j',
      (text) => {
        expect(result(text, 'DATA_HANDLING').present).toBe(false);
      },
    );
  });

  it('stays fast on long, awkward input', () => {
    const nasty = [
      'a.'.repeat(5000),
      `${'a-'.repeat(5000)}b`,
      `not ${'x '.repeat(5000)}`,
      `${'submissions '.repeat(800)}`,
      `http://${'a'.repeat(9000)}`,
      `a${'!'.repeat(9998)}a`,
      `example.ac.uk/${'/'.repeat(9000)}x`,
      `${'a1-'.repeat(3000)}.c`,
      `not${' run'.repeat(2500)}`,
    ];
    const start = Date.now();
    for (const t of nasty) checkWording(t);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('a text passes only when all four elements are present', () => {
    const text = [
      'Unofficial page.',
      'Help: example.ac.uk/student-services.',
      'Nightline is there for you.',
      'We never store your messages.',
    ].join(' ');
    expect(checkWording(text)).toMatchObject({ passes: true, missing: [] });
  });
});

it('the default configuration cannot be changed by accident', () => {
  expect(Object.isFrozen(DEFAULT_WORDING_CONFIG)).toBe(true);
  expect(Object.isFrozen(DEFAULT_WORDING_CONFIG.supportLinks)).toBe(true);
  expect(Object.isFrozen(DEFAULT_WORDING_CONFIG.reputableBodies[0])).toBe(true);
});

describe('normaliseUrl', () => {
  it.each([
    ['https://www.Example.AC.uk/wellbeing/', 'example.ac.uk/wellbeing'],
    ['http://example.ac.uk', 'example.ac.uk'],
    ['www.example.ac.uk/a/b//', 'example.ac.uk/a/b'],
    ['https://example.ac.uk/Path?Q=1#x', 'example.ac.uk/Path?Q=1#x'],
    ['https://example.ac.uk/path/?q=1', 'example.ac.uk/path?q=1'],
    ['example.ac.uk/wellbeing.', 'example.ac.uk/wellbeing'],
  ])('%s -> %s', (raw, normalised) => {
    expect(normaliseUrl(raw)).toBe(normalised);
  });
});
