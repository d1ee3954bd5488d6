/**
 * The plan of a chaos run: which case takes which path and variant, and when it is reported.
 * Deterministic per seed.
 */
import { casesPerPath, type ChaosOptions, PATHS, type PathName } from './options.js';
import { seededRandom } from '../scripts/seeded-random.js';
import { HOME_REGION, nikFor } from './setup.js';

export interface CaseSpec {
  index: number;
  path: PathName;
  variant: string;
  /** When the driver reports the case, in ms after the run started. */
  startAtMs: number;
  sex: 'M' | 'F';
  age: number;
  /** NIK given at intake, with where the civil registry places it. */
  nik?: { nik: string; regionCode: string };
}

const VARIANTS: Partial<Record<PathName, string[]>> = {
  upt_placement: ['not_matched', 'not_possible'],
  medical_hold: ['to_placement', 'to_home'],
  relay: ['one_leg', 'two_legs', 'registry'],
};

/** Deterministic per seed: which case takes which path and variant, and when it starts. */
export function planCases(options: ChaosOptions): CaseSpec[] {
  const random = seededRandom(options.seed);
  const counts = casesPerPath(options);
  const paths: PathName[] = PATHS.flatMap((path) => Array.from({ length: counts[path] }, () => path));
  // Shuffled, so that every path is in flight throughout the intake spread.
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  const seenPerPath = new Map<PathName, number>();
  return paths.map((path, index) => {
    const nth = seenPerPath.get(path) ?? 0;
    seenPerPath.set(path, nth + 1);
    const variants = VARIANTS[path];
    const variant = variants ? variants[nth % variants.length]! : 'default';
    const sex: 'M' | 'F' = path === 'bed_shortage' || random() < 0.4 ? 'F' : 'M';
    const spec: CaseSpec = {
      index,
      path,
      variant,
      startAtMs: Math.round((index / paths.length) * options.intakeSpreadMs),
      sex,
      age: 20 + Math.floor(random() * 36),
    };
    const serial = index + 1;
    if (path === 'repatriation' || path === 'left_at_departure') spec.nik = { nik: nikFor('350901', sex, serial), regionCode: HOME_REGION };
    if (path === 'relay' && variant === 'registry') spec.nik = { nik: nikFor('337401', sex, serial), regionCode: '33.74' };
    return spec;
  });
}
