import { describe, expect, it } from 'vitest';
import { modernSpelling, normalizeName } from '../../domain/person-names.js';

const key = (name: string) => normalizeName(name).key;

describe('Indonesian name normalization', () => {
  it.each([
    ['Soedjono', 'Sujono', 'sujono'],
    ['Tjahjono', 'Cahyono', 'cahyono'],
    ['Pak Slamet', 'Slamet', 'slamet'],
    ['Mbah Painem', 'Painem', 'painem'],
    ['Chairul Anam', 'Khairul Anam', 'hairul anam'],
    ['Achmad Sjamsudin', 'Ahmad Syamsudin', 'ahmad syamsudin'],
    ['Njoman Soerjadi', 'Nyoman Suryadi', 'nyoman suryadi'],
    ['Bu Hj. Siti Fatimah', 'Siti Fatimah', 'siti fatimah'],
    ['Drs. H. Bambang Soepriyadi, M.Pd.', 'Bambang Supriyadi', 'bambang supriyadi'],
    ['M. Nur Hasan', 'Muhammad Nur Hasan', 'muhamad nur hasan'],
    ['Mochammad Ali', 'Moehammad Ali', 'muhamad ali'],
    ['Slamet bin Karto', 'Slamet Karto', 'slamet karto'],
    ['Widhi Astuti', 'Widi Astuti', 'widi astuti'],
  ])('%s and %s share the key %s', (a, b, expected) => {
    expect(key(a)).toBe(expected);
    expect(key(b)).toBe(expected);
  });

  it('reads old j as y only in a word written in the old spelling', () => {
    expect(modernSpelling('djojo')).toBe('joyo');
    expect(modernSpelling('soerjadi')).toBe('suryadi');
    expect(modernSpelling('joko')).toBe('joko');
    expect(modernSpelling('panji')).toBe('panji'); // a modern nj inside a word stays
  });

  it('keeps honorific-like words inside a name, and drops only leading ones', () => {
    expect(key('Mas Agus Mas')).toBe('agus mas');
    expect(key('Kang Mas Joko')).toBe('joko');
  });

  it('gives an empty key for a bare form of address', () => {
    expect(normalizeName('Pak')).toEqual({ key: '', tokens: [] });
    expect(normalizeName('  ')).toEqual({ key: '', tokens: [] });
  });

  it('strips accents, punctuation and case', () => {
    expect(normalizeName("  SITI  Ma'rufah-Aminah ").tokens).toEqual(['siti', 'marufah', 'aminah']);
    expect(key('Renée')).toBe('rene');
  });
});
