/**
 * Opt-out keywords of inbound texts (api/compliance/sms-inbound.ts): the CTIA words in English, and
 * their Spanish counterparts, since a debtor who reads our texts in Spanish may answer in Spanish.
 */
import { describe, expect, it } from 'vitest';
import { keywordOf } from '../../api/compliance/sms-inbound.js';

describe('inbound SMS keywords', () => {
  it('the first word decides, in English or Spanish, whatever the case, accents or punctuation', () => {
    for (const text of ['STOP', 'stop please', 'Stop.', 'unsubscribe', 'ALTO', 'alto por favor', 'Parar', 'basta!', 'Cancelar', 'baja']) {
      expect(keywordOf(text), text).toBe('stop');
    }
    for (const text of ['START', 'unstop', 'Alta', 'comenzár']) expect(keywordOf(text), text).toBe('start');
    for (const text of ['hola', 'gracias', 'what is this', '', '   ', 'stopwatch']) expect(keywordOf(text), text).toBeNull();
  });
});
