/**
 * Hostile values the security tests send: one list, so the unit test of the
 * validators and the generated test of every mutation try the same spellings.
 */

/** Every spelling of a link that must never be stored as evidence or a support link. */
export const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'javascript:alert(1) ',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\u0000script:alert(1)',
  'javascript&colon;alert(1)',
  'javascript&#58;alert(1)',
  'javascript%3Aalert(1)',
  '%6A%61%76%61%73%63%72%69%70%74:alert(1)',
  '\u202Ejavascript:alert(1)',
  'jav&#x09;ascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,x',
  'file:///etc/passwd',
  'file://localhost/etc/passwd',
  'https://user:pass@example.com/',
  'https://user@example.com/',
  'http://example.com@evil.example/',
  'https:/\\evil.example/',
  'https:\\\\evil.example/',
  'https:evil.example',
  'http:/evil.example',
  '//evil.example/',
  'https://',
  'https:// example.com',
  'https://exa\u200Bmple.com/',
  'https://example.com/\u202Etxt.exe',
  'ftp://example.com/',
  'blob:https://example.com/uuid',
  'about:blank',
  'example.com',
  '',
];
