import { describe, expect, it } from 'vitest';
import {
  birthDateOfPersonnummer,
  isSamordningsnummer,
  isValidPersonnummer,
  ivoIdSex,
  konOfPersonnummer,
  maskPersonnummer,
  mintIvoPseudoId,
} from './index';

describe('isValidPersonnummer', () => {
  it('accepts 12 digits with a correct Luhn digit, with or without the dash', () => {
    expect(isValidPersonnummer('19121212-1212')).toBe(true);
    expect(isValidPersonnummer('191212121212')).toBe(true);
  });

  it('accepts samordningsnummer (day + 60)', () => {
    expect(isValidPersonnummer('19701063-2391')).toBe(true);
    expect(isSamordningsnummer('19701063-2391')).toBe(true);
    expect(isSamordningsnummer('19121212-1212')).toBe(false);
    expect(birthDateOfPersonnummer('19701063-2391')).toBe('1970-10-03');
  });

  it('refuses a wrong check digit, a date that does not exist, and other forms', () => {
    expect(isValidPersonnummer('19121212-1213')).toBe(false);
    expect(isValidPersonnummer('19120230-1212')).toBe(false);
    expect(isValidPersonnummer('121212-1212')).toBe(false);
    expect(isValidPersonnummer('19121212+1212')).toBe(false);
    expect(isValidPersonnummer('1912121212 12')).toBe(false);
    expect(isValidPersonnummer('')).toBe(false);
  });

  it('reads the sex and masks all but the birth date', () => {
    expect(konOfPersonnummer('19121212-1212')).toBe('man');
    expect(konOfPersonnummer('19121212-1222')).toBe('kvinna');
    expect(maskPersonnummer('191212121212')).toBe('19121212-****');
  });
});

describe('IVO pseudo-ids', () => {
  it('reads the sex from the third character after the dash (seed 002)', () => {
    expect(ivoIdSex('19800101-T123')).toBe('kvinna');
    expect(ivoIdSex('19800101-TF10')).toBe('man');
    expect(ivoIdSex('19800101-T131')).toBe('man');
    expect(ivoIdSex('19800101-TF21')).toBe('kvinna');
  });

  it('returns null for anything not in the T format', () => {
    for (const id of [
      '19800101-1234',
      '19800101-T12',
      '19800101-TF1',
      '19800230-T123',
      'T123',
      '',
    ]) {
      expect(ivoIdSex(id)).toBeNull();
    }
  });

  it('mints a stable id with the right sex digit and skips the taken ones', () => {
    const kvinna = mintIvoPseudoId({ birthDate: '1980-01-01', kon: 'kvinna' });
    const man = mintIvoPseudoId({ birthDate: '1980-01-01', kon: 'man' });
    expect(kvinna).toMatch(/^19800101-T\d{3}$/);
    expect(ivoIdSex(kvinna)).toBe('kvinna');
    expect(ivoIdSex(man)).toBe('man');
    expect(mintIvoPseudoId({ birthDate: '1980-01-01', kon: 'kvinna' })).toBe(kvinna);
    const next = mintIvoPseudoId({ birthDate: '1980-01-01', kon: 'kvinna' }, [kvinna]);
    expect(next).not.toBe(kvinna);
    expect(ivoIdSex(next)).toBe('kvinna');
  });

  it('falls back to the TF series when every T number of that sex is taken', () => {
    const taken: string[] = [];
    for (let i = 0; i < 500; i++)
      taken.push(mintIvoPseudoId({ birthDate: '1990-05-05', kon: 'man' }, taken));
    expect(new Set(taken).size).toBe(500);
    const tf = mintIvoPseudoId({ birthDate: '1990-05-05', kon: 'man' }, taken);
    expect(tf).toMatch(/^19900505-TF\d{2}$/);
    expect(ivoIdSex(tf)).toBe('man');
  });
});
