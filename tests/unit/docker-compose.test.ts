/**
 * Static checks of docker-compose.yml and the Dockerfile: no Docker engine is needed, so the
 * deployment files cannot silently drift from the code (search attributes, entry points, secrets).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../config.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { target: number })[];
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function env(service: Service): Record<string, string> {
  const e = service.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v ?? '')]));
}

function words(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

function containerPorts(service: Service): number[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.target);
    return Number(String(p).split(':').pop()!.split('/')[0]);
  });
}

/** postgres://user:password@host:port/db, where user and password may be ${...} references. */
function parseDatabaseUrl(url: string) {
  const m = /^postgres(?:ql)?:\/\/(.*)@([\w.-]+)(?::(\d+))?\/([\w-]+)$/.exec(url);
  if (!m) throw new Error(`not a postgres URL: ${url}`);
  return { userinfo: m[1]!, host: m[2]!, port: Number(m[3] ?? 5432), database: m[4]! };
}

const isReference = (value: string) => /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}$/.test(value);
const secretKey = /PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY/i;

describe('docker-compose.yml', () => {
  it('has the services of the deployment', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker', 'api']) {
      expect(services, name).toHaveProperty(name);
    }
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image || service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it('builds api and worker from the Dockerfile with their entry points', () => {
    for (const [name, entry] of [
      ['api', 'api/main.ts'],
      ['worker', 'worker/main.ts'],
    ] as const) {
      const build = services[name]!.build;
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const file = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
      expect(path.resolve(projectRoot, context, file), name).toBe(path.join(projectRoot, 'Dockerfile'));
      expect(words(services[name]!.command), name).toContain(entry);
      expect(existsSync(path.join(projectRoot, entry)), entry).toBe(true);
    }
  });

  it('points api and worker at PostgreSQL and Temporal services of this file', () => {
    for (const name of ['api', 'worker']) {
      const e = env(services[name]!);
      const db = parseDatabaseUrl(e.DATABASE_URL ?? '');
      expect(services, `${name} DATABASE_URL host`).toHaveProperty(db.host);
      expect(services[db.host]!.image).toMatch(/^postgres:/);
      expect(db.database).toBe('ppks');

      const [host, port] = (e.TEMPORAL_ADDRESS ?? '').split(':');
      expect(services, `${name} TEMPORAL_ADDRESS host`).toHaveProperty(host!);
      expect(services[host!]!.image).toMatch(/^temporalio\/(auto-setup|server):/);
      expect(port).toBe('7233');
    }
    expect(env(services['temporal-ui']!).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('starts api and worker only after Temporal is healthy and set up', () => {
    for (const name of ['api', 'worker']) {
      const deps = services[name]!.depends_on as Record<string, { condition?: string }>;
      expect(deps.temporal?.condition).toBe('service_healthy');
      expect(deps['temporal-setup']?.condition).toBe('service_completed_successfully');
      expect(deps.postgresql?.condition).toBe('service_healthy');
    }
  });

  it('depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(services, `${name} depends on ${dep}`).toHaveProperty(dep);
    }
  });

  it('requires the payload keys of api and worker, and points the UI at the codec endpoint of the API', () => {
    for (const name of ['api', 'worker']) expect(env(services[name]!).PPKS_PAYLOAD_KEYS, name).toMatch(/^\$\{PPKS_PAYLOAD_KEYS:\?/);
    // The keys the API refuses to start without in production.
    for (const variable of ['PPKS_HASH_KEYS', 'PPKS_MATCH_KEY']) {
      expect(env(services.api!)[variable], variable).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
    }
    // The browser calls the API where it is published (below), from the UI's published origin.
    expect(env(services['temporal-ui']!)).toMatchObject({
      TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/codec',
      TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
    });
    expect(env(services.api!).TEMPORAL_UI_ORIGIN).toBe('http://localhost:8080');
  });

  it('publishes the API on 3000 and the Temporal UI on 8080', () => {
    expect(containerPorts(services.api!)).toContain(3000);
    expect(containerPorts(services['temporal-ui']!)).toContain(8080);
  });

  it('registers exactly the search attributes of workflows/search-attributes.ts', () => {
    const script = words(services['temporal-setup']!.command) + ' ' + words(services['temporal-setup']!.entrypoint);
    expect(script).toContain('temporal operator search-attribute create');
    const registered: Record<string, string> = {};
    for (const m of script.matchAll(/--name\s+(\w+)\s+--type\s+(\w+)/g)) {
      expect(registered, `${m[1]} registered twice`).not.toHaveProperty(m[1]!);
      registered[m[1]!] = m[2]!;
    }
    expect(registered).toEqual(searchAttributeRegistrations);
  });

  it('contains no literal secrets', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(env(service))) {
        if (secretKey.test(key)) {
          expect(isReference(value), `${name}.${key} must be a \${...} reference`).toBe(true);
          // ${VAR:?message}: compose refuses to start rather than run with an empty password.
          expect(value, `${name}.${key}`).toMatch(/^\$\{\w+:\?/);
        }
        const url = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)@/i.exec(value);
        if (url) {
          const userinfo = url[1]!;
          expect(userinfo.replace(/\$\{[^}]*\}/g, ''), `${name}.${key} carries a literal credential`).toMatch(/^:?$/);
          expect(userinfo, `${name}.${key} password`).toMatch(/:\$\{\w+:\?[^}]*\}$/);
        }
      }
    }
  });
});

describe('Dockerfile', () => {
  it('copies only files that exist', () => {
    for (const m of dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)) {
      const parts = m[1]!
        .trim()
        .split(/\s+/)
        .filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) expect(existsSync(path.join(projectRoot, src)), src).toBe(true);
    }
  });

  it('runs the API by default, with a runner that a production install keeps', () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
    expect(cmd, 'exec-form CMD').not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv).toContain('api/main.ts');
    expect(existsSync(path.join(projectRoot, 'api/main.ts'))).toBe(true);
    // npm ci --omit=dev: whatever runs the entry points must be a runtime dependency.
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    for (const name of ['api', 'worker']) {
      const runner = (services[name]!.command as string[])[0]!;
      expect(pkg.dependencies, `${name} runs ${runner}`).toHaveProperty(runner === 'npx' ? 'tsx' : runner);
    }
  });
});
