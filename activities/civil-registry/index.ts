import type { CivilRegistry, Domicile } from './registry.js';

export function civilRegistryActivities(registry: CivilRegistry) {
  return {
    async findDomicile(nik: string): Promise<Domicile | null> {
      return registry.findDomicile(nik);
    },
  };
}
