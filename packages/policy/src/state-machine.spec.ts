import { describe, expect, it } from 'vitest';
import {
  allowedTargets,
  checkManualMove,
  checkTransition,
  defineTransitions,
  listStates,
  reachableTargets,
  settle,
  type Transition,
} from './state-machine.js';

type Light = 'RED' | 'AMBER' | 'GREEN' | 'OFF';
interface LightFacts {
  powered: boolean;
  night?: boolean;
}

const TABLE = defineTransitions<Light, LightFacts>('traffic light', [
  { name: 'prepare', from: ['RED'], to: 'AMBER', guard: (f) => (f.powered ? [] : ['the light must be powered']) },
  { name: 'go', from: ['AMBER'], to: 'GREEN' },
  { name: 'stop', from: ['GREEN', 'AMBER'], to: 'RED' },
  { name: 'nightBlink', from: ['GREEN'], to: 'AMBER', guard: (f) => (f.night ? [] : ['it must be night']) },
  { name: 'dayAmber', from: ['GREEN'], to: 'AMBER', guard: (f) => (f.powered ? [] : ['the light must be powered']) },
  { name: 'skip', from: ['RED'], to: 'GREEN', refused: 'the light must show AMBER before GREEN' },
]);

describe('state machine', () => {
  it('allows a listed move whose guard passes, naming the transition', () => {
    expect(checkTransition(TABLE, 'RED', 'AMBER', { powered: true })).toEqual({ ok: true, transition: 'prepare' });
    expect(checkTransition(TABLE, 'AMBER', 'GREEN', { powered: false })).toEqual({ ok: true, transition: 'go' });
  });

  it("refuses a listed move with the guard's sentence", () => {
    expect(checkTransition(TABLE, 'RED', 'AMBER', { powered: false })).toEqual({
      ok: false,
      unmet: ['the light must be powered'],
    });
  });

  it('refuses an unlisted move naming the subject and where it can go instead', () => {
    const r = checkTransition(TABLE, 'AMBER', 'OFF', { powered: true });
    expect(r).toEqual({ ok: false, unmet: ['A traffic light cannot go from AMBER to OFF; from AMBER it can go to GREEN or RED'] });
  });

  it('says when a state is final', () => {
    const r = checkTransition(TABLE, 'OFF', 'RED', { powered: true });
    expect(r).toEqual({ ok: false, unmet: ['A traffic light cannot go from OFF to RED; OFF is a final status'] });
  });

  it('uses "An" before a vowel and allows overriding the subject', () => {
    const escalations = defineTransitions<'A' | 'B', null>('escalation', [{ name: 'ab', from: ['A'], to: 'B' }]);
    expect(checkTransition(escalations, 'B', 'A', null)).toMatchObject({ unmet: [expect.stringMatching(/^An escalation cannot go from B to A/)] });
    expect(checkTransition(escalations, 'B', 'A', null, 'thing')).toMatchObject({ unmet: [expect.stringMatching(/^A thing cannot/)] });
    const plain: Transition<'A' | 'B', null>[] = [{ name: 'ab', from: ['A'], to: 'B' }];
    expect(checkTransition(plain, 'B', 'A', null)).toMatchObject({ unmet: [expect.stringMatching(/^A record cannot go from B to A/)] });
  });

  it('tries every transition for the same pair and reports the first unmet one', () => {
    expect(checkTransition(TABLE, 'GREEN', 'AMBER', { powered: false, night: true })).toEqual({ ok: true, transition: 'nightBlink' });
    expect(checkTransition(TABLE, 'GREEN', 'AMBER', { powered: true })).toEqual({ ok: true, transition: 'dayAmber' });
    expect(checkTransition(TABLE, 'GREEN', 'AMBER', { powered: false })).toEqual({ ok: false, unmet: ['it must be night'] });
  });

  it('answers a refused move with its sentence, and never offers it', () => {
    expect(checkTransition(TABLE, 'RED', 'GREEN', { powered: true })).toEqual({
      ok: false,
      unmet: ['the light must show AMBER before GREEN'],
    });
    expect(allowedTargets(TABLE, 'RED', { powered: true })).toEqual(['AMBER']);
    expect(reachableTargets(TABLE, 'RED')).toEqual(['AMBER']);
  });

  it('allowedTargets lists targets whose guards pass, once each, in table order', () => {
    expect(allowedTargets(TABLE, 'GREEN', { powered: true })).toEqual(['RED', 'AMBER']);
    expect(allowedTargets(TABLE, 'RED', { powered: false })).toEqual([]);
    expect(allowedTargets(TABLE, 'OFF', { powered: true })).toEqual([]);
  });

  it('reachableTargets ignores guards', () => {
    expect(reachableTargets(TABLE, 'GREEN')).toEqual(['RED', 'AMBER']);
  });

  it('defined tables are frozen', () => {
    expect(Object.isFrozen(TABLE)).toBe(true);
    expect(Object.isFrozen(TABLE[0])).toBe(true);
    expect(Object.isFrozen(TABLE[0]!.from)).toBe(true);
  });

  it('a guard names every unmet condition, not only the first', () => {
    const table = defineTransitions<Light, LightFacts>('lamp', [
      { name: 'on', from: ['OFF'], to: 'RED', guard: (f) => [...(f.powered ? [] : ['it must be powered']), ...(f.night ? [] : ['it must be night'])] },
    ]);
    expect(checkTransition(table, 'OFF', 'RED', { powered: false })).toEqual({ ok: false, unmet: ['it must be powered', 'it must be night'] });
  });

  describe('events and manual moves', () => {
    type Ev = 'POWER' | 'TIMER' | 'FAULT';
    const LAMP = defineTransitions<Light, LightFacts, Ev>('lamp', [
      { name: 'warm', from: ['OFF'], to: 'RED', guard: (f) => (f.powered ? [] : ['it must be powered']), on: ['POWER'] },
      { name: 'cycle', from: ['RED'], to: 'AMBER', on: ['POWER', 'TIMER'] },
      { name: 'go', from: ['AMBER'], to: 'GREEN', on: ['TIMER'] },
      { name: 'back', from: ['GREEN'], to: 'RED', on: ['TIMER'] },
      { name: 'switchOff', from: ['RED', 'AMBER', 'GREEN'], to: 'OFF', manual: { permission: 'group.close', mutation: 'switchOff' } },
      { name: 'switchOn', from: ['OFF'], to: 'RED', guard: (f) => (f.powered ? [] : ['it must be powered']), manual: { permission: 'group.reopen', mutation: 'switchOn' } },
      { name: 'switchOn', from: ['OFF'], to: 'AMBER', guard: (f) => (f.night ? [] : ['it must be night']), manual: { permission: 'group.reopen', mutation: 'switchOn' } },
    ]);

    it('settle follows the automatic moves the events allow, in table order, never entering a state twice', () => {
      expect(settle(LAMP, 'OFF', { powered: true }, ['POWER'])).toEqual([
        { transition: 'warm', from: 'OFF', to: 'RED' },
        { transition: 'cycle', from: 'RED', to: 'AMBER' },
      ]);
      // TIMER from RED would go round RED → AMBER → GREEN → RED: it stops before re-entering RED.
      expect(settle(LAMP, 'RED', { powered: true }, ['TIMER']).map((m) => m.to)).toEqual(['AMBER', 'GREEN']);
    });

    it('settle makes no move whose guard fails, for an event nobody listens to, or that only a person makes', () => {
      expect(settle(LAMP, 'OFF', { powered: false }, ['POWER'])).toEqual([]);
      expect(settle(LAMP, 'GREEN', { powered: true }, ['FAULT'])).toEqual([]);
      expect(settle(LAMP, 'OFF', { powered: true, night: true }, [])).toEqual([]);
    });

    it('a manual move by name takes the first candidate whose guard passes', () => {
      expect(checkManualMove(LAMP, 'OFF', 'switchOn', { powered: true })).toEqual({ ok: true, move: { transition: 'switchOn', from: 'OFF', to: 'RED' } });
      expect(checkManualMove(LAMP, 'OFF', 'switchOn', { powered: false, night: true })).toEqual({ ok: true, move: { transition: 'switchOn', from: 'OFF', to: 'AMBER' } });
      expect(checkManualMove(LAMP, 'OFF', 'switchOn', { powered: false })).toEqual({ ok: false, to: 'RED', unmet: ['it must be powered'] });
    });

    it('a manual move from the wrong state, or of an automatic transition, is refused in words', () => {
      expect(checkManualMove(LAMP, 'GREEN', 'switchOn', { powered: true })).toEqual({
        ok: false, to: null, unmet: ['A lamp in GREEN cannot be moved by switchOn; from GREEN it can go to RED or OFF'],
      });
      expect(checkManualMove(LAMP, 'OFF', 'warm', { powered: true })).toMatchObject({ ok: false });
    });
  });

  it('listStates reads as English', () => {
    expect(listStates([])).toBe('');
    expect(listStates(['A'])).toBe('A');
    expect(listStates(['A', 'B'])).toBe('A or B');
    expect(listStates(['A', 'B', 'C'], 'and')).toBe('A, B and C');
  });
});
