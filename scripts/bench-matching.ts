/**
 * `npm run bench:matching`: precision and recall of repeat-client matching on generated people.
 *
 * In a scratch database (dropped afterwards) it registers at least 10,000 people, deterministic from
 * a seed, with Javanese, Madurese and Islamic names; a fifth come back once or twice, written
 * differently (old spelling, a form of address, one name instead of two, a typo), with a new age
 * estimate and sometimes found elsewhere. Every case goes through the API's code path
 * (`registerPerson`, `candidatesFor`); since matching only looks at earlier cases, querying each
 * case after all are registered is what intake would have found at the time.
 */
import { randomBytes } from 'node:crypto';
import { config } from '../config.js';
import { createPool } from '../db/pool.js';
import { dropDatabase } from '../db/admin.js';
import { prepareDatabase } from '../db/prepare.js';
import { REGION_CODES } from '../domain/regions.js';
import { type PersonRecord, registerPerson } from '../api/person-register.js';
import { MATCH_THRESHOLD, candidatesFor } from '../api/repeat-clients.js';
import { seededRandom } from './seeded-random.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261128);
const THRESHOLDS = [0.6, 0.65, 0.7, 0.75, 0.8];

const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const words = (list: string) => list.split(' ');

// Javanese names are built from a prefix and a root (Su-parman, Tu-kinem); others stand alone.
const MALE_ROOTS = words(
  'parman tarno yono harto trisno warno darmo kirman marno narto giyono prapto yanto parno ratno mardi wito jono yatno gito wardi ripto roso wignyo laiman jadi',
);
const MALE_PREFIXES = ['su', 'sa', 'ka', 'pa', 'wa', 'tu', 'mu', 'ju', 'ru', 'sar'];
const MALE_NAMES = words(
  'slamet bambang joko budi agus heru wahyu hadi sugiarto paiman tukiman mulyono cahyono riyanto wagiman karsiman sucipto sunaryo jumadi matrawi marsuki sahrawi hasan buhari maskur juhari samsul ahmad yusuf ilyas zainal khairul syaiful nur abdul muhammad nyoman eko dwi yudi',
);
const FEMALE_ROOTS = words(
  'miati minah lastri yatmi karti parmi tini marni mini wanti yati rati inem kinem minten yem jiyem rsih warni tumi',
);
const FEMALE_PREFIXES = ['su', 'sa', 'pa', 'tu', 'ju', 'ka', 'ngat', 'po', 'mar', 'wa'];
const FEMALE_NAMES = words(
  'sri siti endang rini yuliati misnati halimah fatimah aisyah khotijah rukmini supiyah nyai juwariyah musyarofah umi tatik yayuk ninik cicik',
);
const SECOND_MALE = words(
  'santoso wibowo susanto hidayat prasetyo setiawan kurniawan wijaya purnomo hartono cahyono riyadi suryadi wahyudi utomo saputra nugroho hariyanto sutrisno gunawan firmansyah syahputra rahman hakim anam efendi junaedi sholeh mustofa yulianto',
);
const SECOND_FEMALE = words(
  'rahayu lestari handayani wulandari purwanti susanti rahmawati astuti ningsih wahyuningsih suryani kusumawati yuliana fitriani aminah maryam khasanah zulaikha nurjanah ismawati',
);
const HONORIFICS = {
  M: ['Pak', 'Bapak', 'Mbah', 'Mas', 'Cak', 'Kang', 'Pak Haji', 'H.'],
  F: ['Bu', 'Ibu', 'Mbah', 'Mbak', 'Ning', 'Mbok', 'Hj.'],
};
// Where people are picked up: mostly the cities and the ports.
const FOUND_REGIONS = words('35.78 35.78 35.78 35.78 35.73 35.15 35.15 35.09 35.10 35.79 35.77 35.25 35.07 35.71');

type Sex = 'M' | 'F';
interface Person {
  id: number;
  sex: Sex;
  tokens: string[];
  birth: number;
  nik: string | null;
  home: string;
}
interface Visit {
  person: number;
  record: PersonRecord;
}

const capital = (word: string) => word[0]!.toUpperCase() + word.slice(1);

function newPerson(id: number): Person {
  const sex: Sex = chance(0.6) ? 'M' : 'F';
  const given = () =>
    sex === 'M'
      ? chance(0.55)
        ? pick(MALE_PREFIXES) + pick(MALE_ROOTS)
        : pick(MALE_NAMES)
      : chance(0.55)
        ? pick(FEMALE_PREFIXES) + pick(FEMALE_ROOTS)
        : pick(FEMALE_NAMES);
  const second = () => pick(sex === 'M' ? SECOND_MALE : SECOND_FEMALE);
  const shape = random();
  const tokens = shape < 0.45 ? [given()] : shape < 0.9 ? [given(), second()] : [given(), given(), second()];
  const nik = chance(0.15) ? `35${String(between(1, 29)).padStart(2, '0')}${String(id).padStart(12, '0')}` : null;
  return { id, sex, tokens, birth: between(1940, 2005), nik, home: pick(REGION_CODES) };
}

/** EYD written the pre-1972 way: Sujono → Soedjono, Cahyono → Tjahjono, Syamsul → Sjamsul. */
function oldSpelling(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const pair = word.slice(i, i + 2);
    if (pair === 'ny' && i === 0) {
      out += 'nj';
      i++;
    } else if (pair === 'sy') {
      out += 'sj';
      i++;
    } else if (pair === 'kh') {
      out += 'ch';
      i++;
    } else out += ({ c: 'tj', j: 'dj', y: 'j', u: 'oe' } as Record<string, string>)[word[i]!] ?? word[i];
  }
  return out;
}

function typo(word: string): string {
  if (word.length < 4) return word;
  const at = between(1, word.length - 2);
  switch (between(0, 3)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1); // a letter dropped
    case 1:
      return word.slice(0, at) + word[at] + word.slice(at); // doubled
    case 2:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2); // swapped
    default:
      return word.slice(0, at) + pick([...'aiueonmrstk']) + word.slice(at + 1); // misheard
  }
}

/** How the person's name is written at a visit: the first one plainly, later ones as people say and officers write. */
function writtenName(person: Person, returning: boolean): string {
  let tokens = [...person.tokens];
  if (returning) {
    if (chance(0.25))
      tokens =
        tokens.length > 1
          ? [chance(0.7) ? tokens[0]! : tokens.at(-1)!]
          : [tokens[0]!, pick(person.sex === 'M' ? SECOND_MALE : SECOND_FEMALE)];
    if (chance(0.3)) tokens = tokens.map(oldSpelling);
    if (chance(0.15)) tokens[between(0, tokens.length - 1)] = typo(tokens[between(0, tokens.length - 1)]!);
  }
  const name = tokens.map(capital).join(' ');
  return returning && chance(0.3) ? `${pick(HONORIFICS[person.sex])} ${name}` : name;
}

function generate(): { visits: Visit[]; truePairs: number } {
  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  const visits: Visit[] = [];
  let truePairs = 0;
  const sequence = new Map<string, number>();
  for (let id = 0; id < PEOPLE; id++) {
    const person = newPerson(id);
    const count = chance(0.2) ? (chance(0.25) ? 3 : 2) : 1;
    truePairs += (count * (count - 1)) / 2;
    let at = start + Math.floor(random() * span);
    let found = pick(FOUND_REGIONS);
    for (let visit = 0; visit < count; visit++) {
      if (visit > 0) {
        at += between(30, 5 * 365) * 86_400_000;
        if (chance(0.3)) found = pick(FOUND_REGIONS);
      }
      const year = new Date(at).getUTCFullYear();
      const key = `${found}-${year}`;
      sequence.set(key, (sequence.get(key) ?? 0) + 1);
      visits.push({
        person: id,
        record: {
          caseNumber: `${found.replace('.', '')}-${year}-${String(sequence.get(key)).padStart(6, '0')}`,
          name: writtenName(person, visit > 0),
          sex: chance(0.03) ? 'unknown' : person.sex,
          estimatedAge: Math.max(1, year - person.birth + between(-3, 3)),
          nik: person.nik && chance(0.6) ? person.nik : undefined,
          foundRegion: found,
          // Earlier visits usually ended with the home known (repatriated or traced).
          homeRegion: visit + 1 < count && chance(0.6) ? person.home : null,
          openedAt: new Date(at).toISOString(),
        },
      });
    }
  }
  return { visits, truePairs };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '-');

async function main(): Promise<void> {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? config.databaseUrl);
  if (!process.env.BENCH_DATABASE_URL) url.pathname = '/ppks_bench_matching';
  const databaseUrl = url.toString();
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  const client = await pool.connect();
  try {
    const { visits, truePairs } = generate();
    const key = randomBytes(32);
    await client.query('BEGIN');
    for (const visit of visits) await registerPerson(client, key, visit.record);
    await client.query('COMMIT');
    await client.query('ANALYZE person_register');

    const personOf = new Map(visits.map((visit) => [visit.record.caseNumber, visit.person]));
    const listed = THRESHOLDS.map(() => ({ all: 0, right: 0 }));
    const times: number[] = [];
    for (const visit of visits) {
      const began = performance.now();
      await client.query('BEGIN');
      const candidates = await candidatesFor(client, visit.record.caseNumber, THRESHOLDS[0]);
      await client.query('COMMIT');
      times.push(performance.now() - began);
      for (const candidate of candidates) {
        const right = personOf.get(candidate.caseNumber) === visit.person;
        THRESHOLDS.forEach((threshold, i) => {
          if (candidate.score < threshold) return;
          listed[i]!.all++;
          if (right) listed[i]!.right++;
        });
      }
    }
    times.sort((a, b) => a - b);
    console.log(`people: ${PEOPLE}, cases: ${visits.length}, true repeats (pairs of cases of one person): ${truePairs}, seed ${SEED}`);
    console.log(`time per query: p50 ${percentile(times, 0.5).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms\n`);
    console.log('| threshold | listed | right | precision | recall | F1 |');
    console.log('|---|---|---|---|---|---|');
    THRESHOLDS.forEach((threshold, i) => {
      const { all, right } = listed[i]!;
      const precision = right / all;
      const recall = right / truePairs;
      const chosen = threshold === MATCH_THRESHOLD ? ' (chosen)' : '';
      console.log(
        `| ${threshold}${chosen} | ${all} | ${right} | ${fixed(precision)} | ${fixed(recall)} | ${fixed((2 * precision * recall) / (precision + recall))} |`,
      );
    });
  } finally {
    client.release();
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

await main();
