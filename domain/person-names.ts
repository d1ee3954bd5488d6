/**
 * Indonesian person names reduced to a matching key, so that the same person reported under a
 * differently written name gets the same (or a trigram-close) key: "Pak Soedjono" and "Sujono"
 * both become `sujono`. Pure and deterministic: the API and the matching benchmark use it alike.
 *
 * The key is personal data (it is a name): it is stored only in `person_register` and never logged.
 */

export interface NormalizedName {
  /** Tokens joined by single spaces; '' when nothing but honorifics was given. */
  key: string;
  tokens: string[];
}

/**
 * Forms of address, kinship terms and titles written before a name (leading tokens only: "Mas" or
 * "Ning" inside a name stay). Abbreviations appear without their dot: "H." is `h`, "Hj." `hj`.
 */
const HONORIFICS: ReadonlySet<string> = new Set([
  // Javanese, Madurese, Sundanese and Betawi forms of address
  'pak',
  'bapak',
  'bpk',
  'bp',
  'bu',
  'ibu',
  'mbah',
  'mbok',
  'mas',
  'mbak',
  'bang',
  'abang',
  'cak',
  'ning',
  'neng',
  'kang',
  'akang',
  'teh',
  'kak',
  'dik',
  'adik',
  'om',
  'tante',
  'sdr',
  'sdri',
  'tn',
  'ny',
  'nn',
  // Religious and nobility titles
  'haji',
  'hajjah',
  'hj',
  'h',
  'kh',
  'kyai',
  'kiai',
  'nyai',
  'ustad',
  'ustadz',
  'ustadzah',
  'raden',
  'rr',
  'r',
  // Academic and professional titles written before the name
  'dr',
  'drs',
  'dra',
  'ir',
  'prof',
]);

/** Degrees written after the name (usually after a comma, which already cuts them; these catch the rest). */
const DEGREES: ReadonlySet<string> = new Set([
  'spd',
  'spdi',
  'sh',
  'se',
  'st',
  'sag',
  'sip',
  'ssos',
  'skom',
  'sked',
  'skm',
  'ssi',
  'sp',
  'mm',
  'mpd',
  'msi',
  'mh',
  'mt',
  'amd',
  'ama',
]);

/** Connectors of a patronymic ("Slamet bin Karto"): the father's name stays, the connector carries nothing. */
const CONNECTORS: ReadonlySet<string> = new Set(['bin', 'binti']);

/** Abbreviations and spellings of Muhammad, all one token after the spelling rules. */
const MUHAMMAD: ReadonlySet<string> = new Set(['m', 'mhd', 'moh', 'muh', 'mohamad', 'muhamad', 'mohamed']);

/**
 * Old (van Ophuijsen and Soewandi) spellings still used in names, mapped to EYD:
 * oe→u, dj→j, tj→c, sj→sy, ch→kh, and nj→ny at the start of a word (inside a word "nj" is also
 * modern: Panji, Anjar). After that, kh→h, dh→d, th→t: spoken Javanese and Madurese make no
 * difference there (Achmad, Akhmad and Ahmad; Widhi and Widi).
 *
 * Old `j` was today's `y` (Tjahjono = Cahyono), but a `j` is today's `j` just as often (Joko). So a
 * lone j becomes y only in a word that shows another old spelling (oe, dj, tj, sj, initial nj):
 * Soerjadi→suryadi, Djojo→joyo, Tjahjono→cahyono, while Joko and Sujono keep their j. An old word
 * with none of those markers (Jahja for Yahya) is not recognised; trigram similarity still scores it.
 */
export function modernSpelling(word: string): string {
  const old = /oe|dj|tj|sj/.test(word) || word.startsWith('nj');
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const pair = word.slice(i, i + 2);
    if (pair === 'oe') out += 'u';
    else if (pair === 'dj') out += 'j';
    else if (pair === 'tj') out += 'c';
    else if (pair === 'sj') out += 'sy';
    else if (pair === 'nj' && i === 0) out += 'ny';
    else if (pair === 'ch' || pair === 'kh') out += 'h';
    else if (pair === 'dh') out += 'd';
    else if (pair === 'th') out += 't';
    else {
      out += old && word[i] === 'j' ? 'y' : word[i];
      continue;
    }
    i++;
  }
  return out;
}

/** Doubled letters are written either way (Muhammad/Muhamad, Anna/Ana): one is kept. */
const collapseDoubles = (word: string) => word.replace(/(.)\1+/g, '$1');

export function normalizeName(raw: string): NormalizedName {
  const words = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // é → e
    .toLowerCase()
    .split(',')[0]! // degrees follow a comma: "Budi Santoso, S.Pd."
    .split(/\s+/)
    .map((word) => word.replace(/[.'’`]/g, '')) // "S.Pd." → spd, "Ma'ruf" → maruf
    .flatMap((word) => word.split(/[^a-z]+/))
    .filter(Boolean);
  let start = 0;
  while (start < words.length && HONORIFICS.has(words[start]!)) start++;
  let end = words.length;
  while (end > start && DEGREES.has(words[end - 1]!)) end--;
  const tokens = words
    .slice(start, end)
    .filter((word) => !CONNECTORS.has(word))
    .map((word) => collapseDoubles(modernSpelling(word)))
    .map((word) => (MUHAMMAD.has(word) ? 'muhamad' : word));
  return { key: tokens.join(' '), tokens };
}
