/**
 * Static checks of docker-compose.yml and the Dockerfile: no Docker engine is needed, so the
 * deployment files cannot silently drift from the code (search attributes, entry points, secrets,
 * users, ports). tests/e2e/compose-env.test.ts runs the services' commands with the file's
 * environment; this file checks what only the file says.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot, trustProxySetting } from '../../config.js';
import { validateComposeFile } from '../../scripts/compose-schema.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  networks?: string[] | Record<string, unknown>;
  secrets?: (string | { source: string; target?: string })[];
  volumes?: (string | { source?: string; target: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  profiles?: string[];
  stop_grace_period?: string;
}

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file?: string; environment?: string }>;
  networks: Record<string, { internal?: boolean } | null>;
};
const services = compose.services;
const dockerfile = read('Dockerfile');
const caddyfile = read('deploy/caddy/Caddyfile');

/** The variables config.ts reads through secretSetting(), directly or for a password (withPassword): each may come from a file (`NAME_FILE`). */
const secretVariables = [...read('config.ts').matchAll(/secretSetting\('(\w+)'\)|withPassword\([^)]*'(\w+)'\)/g)].map((m) => m[1] ?? m[2]!);
/** What NODE_ENV=production refuses to start without, per process (tests/e2e/compose-env.test.ts proves it for real). */
const requiredSecrets = {
  api: ['PPKS_PAYLOAD_KEYS', 'PPKS_HASH_KEYS', 'PPKS_MATCH_KEY'],
  worker: ['PPKS_PAYLOAD_KEYS', 'PPKS_AUDIT_SIGNING_KEY'],
};

function env(service: Service): Record<string, string> {
  const e = service.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v ?? '')]));
}

const words = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join(' ') : (value ?? ''));
const secretsOf = (service: Service) => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
const networksOf = (service: Service) => (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {}));

/** Each published port: the host address it is bound to ('' for every interface) and the container port. */
function published(service: Service): { hostIp: string; target: number }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return { hostIp: p.host_ip ?? '', target: Number(p.target) };
    const parts = String(p).split(':');
    const target = Number(parts.pop()!.split('/')[0]);
    return { hostIp: parts.length === 2 ? parts[0]! : '', target };
  });
}

/** postgres://user@host:port/db: user and host only, never a password. */
function parseDatabaseUrl(url: string) {
  const m = /^postgres(?:ql)?:\/\/([\w-]+)@([\w.-]+):(\d+)\/([\w-]+)$/.exec(url);
  if (!m) throw new Error(`not a postgres URL with a user and no password: ${url}`);
  return { user: m[1]!, host: m[2]!, port: Number(m[3]), database: m[4]! };
}

const seconds = (duration: string) => {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!m || duration === '') throw new Error(`not a duration like 1m30s: ${duration}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
};

describe('docker-compose.yml', () => {
  it('is valid by the Compose Specification', async () => {
    const { ok, report } = await validateComposeFile();
    expect(ok, report).toBe(true);
  }, 180_000);

  it('has the services of the deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'caddy',
        'grafana',
        'postgresql',
        'prometheus',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image || service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it('runs Temporal from temporalio/server with its schema set up by temporalio/admin-tools of the same release', () => {
    const server = /^temporalio\/server:(.+)$/.exec(services.temporal!.image!)?.[1];
    expect(server).toBeDefined();
    for (const job of ['temporal-schema', 'temporal-setup']) expect(services[job]!.image, job).toBe(`temporalio/admin-tools:${server}`);
    const schema = words(services['temporal-schema']!.command);
    const e = env(services.temporal!);
    for (const db of [e.DBNAME, e.VISIBILITY_DBNAME]) {
      expect(schema).toMatch(new RegExp(`--db ${db} setup-schema -v 0\\.0`));
      expect(schema).toMatch(new RegExp(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/`));
    }
    expect(schema).toContain('--plugin postgres12');
    expect(e.DB).toBe('postgres12');
    expect(services.temporal!.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  });

  it('sets the history shard count explicitly, since it can never change', () => {
    const shards = env(services.temporal!).NUM_HISTORY_SHARDS;
    expect(shards).toMatch(/^\d+$/);
    expect(Number(shards)).toBeGreaterThanOrEqual(512);
    expect(read('docker-compose.yml')).toMatch(/NEVER changeable/);
  });

  it('keeps the Temporal frontend, PostgreSQL, the API, the worker and the metrics on the internal network, unpublished', () => {
    expect(compose.networks.backend?.internal).toBe(true);
    for (const name of ['postgresql', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'prometheus']) {
      expect(networksOf(services[name]!), name).toEqual(['backend']);
    }
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'api', 'worker', 'prometheus'])
      expect(services[name]!.ports ?? [], name).toEqual([]);
    expect(env(services.api!)).toMatchObject({ API_METRICS_HOST: '0.0.0.0', API_METRICS_PORT: '9464' });
    expect(env(services.worker!)).toMatchObject({
      WORKER_METRICS_HOST: '0.0.0.0',
      WORKER_METRICS_PORT: '9465',
      WORKER_HEALTH_PORT: '9466',
    });
  });

  it('publishes only Caddy on every interface (80, 443, and 8080 for the gated Temporal UI); everything else on 127.0.0.1', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of published(service)) {
        if (name === 'caddy' && [80, 443, 8080].includes(port.target)) expect(port.hostIp, `${name}:${port.target}`).toBe('');
        else expect(port.hostIp, `${name}:${port.target} is published on every interface`).toBe('127.0.0.1');
      }
    }
    expect(published(services.caddy!).map((p) => p.target)).toEqual([80, 443, 8080]);
    expect(published(services.grafana!)).toEqual([{ hostIp: '127.0.0.1', target: 3000 }]);
  });

  it('puts Caddy in front of the API with TLS, and tells the API to trust exactly that one hop', () => {
    const port = env(services.api!).PORT;
    expect(caddyfile).toMatch(new RegExp(`^\\{\\$PPKS_SITE_ADDRESS:localhost\\} \\{[^}]*reverse_proxy api:${port}\\n`, 'm'));
    expect(caddyfile).toMatch(
      new RegExp(
        `^\\{\\$PPKS_SITE_ADDRESS:localhost\\}:8080 \\{\\n\\treverse_proxy api:${env(services.api!).TEMPORAL_UI_GATEWAY_PORT}\\n`,
        'm',
      ),
    );
    expect(caddyfile).not.toMatch(/^http:\/\/(?!127\.0\.0\.1)/m);
    expect(trustProxySetting(env(services.api!).TRUST_PROXY)).toBe(1);
    expect(services.caddy!.image).toMatch(/^caddy:2\.\d+\.\d+$/);
    expect(services.caddy!.volumes).toContain('./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('shows the UI through the API gateway, whose own /codec the UI decodes with', () => {
    expect(env(services['temporal-ui']!)).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_CODEC_ENDPOINT: '/codec' });
    expect(env(services['temporal-ui']!).TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBeUndefined();
    expect(services['temporal-ui']!.ports).toBeUndefined();
    expect(env(services.api!)).toMatchObject({
      TEMPORAL_UI_URL: 'http://temporal-ui:8080',
      TEMPORAL_UI_PUBLIC_URL: 'https://${PPKS_SITE_ADDRESS:-localhost}:8080',
      CONSOLE_URL: 'https://${PPKS_SITE_ADDRESS:-localhost}',
    });
  });

  it('builds api and worker from the Dockerfile and runs their compiled entry points', () => {
    for (const name of ['api', 'worker']) {
      const service = services[name]!;
      const build = service.build;
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const file = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
      expect(path.resolve(projectRoot, context, file), name).toBe(path.join(projectRoot, 'Dockerfile'));
      expect(service.command, name).toEqual(['node', `dist/${name}/main.js`]);
      // tsc (tsconfig.build.json, outDir dist) compiles <name>/main.ts to it.
      expect(existsSync(path.join(projectRoot, name, 'main.ts')), name).toBe(true);
    }
    expect(JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, '')).compilerOptions.outDir).toBe('dist');
  });

  it('points api and worker at the PostgreSQL users and Temporal of this file', () => {
    const db = env(services.postgresql!);
    expect(services.postgresql!.volumes).toContain('./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-init-roles.sh:ro');
    for (const name of ['api', 'worker']) {
      const e = env(services[name]!);
      const runtime = parseDatabaseUrl(e.DATABASE_URL ?? '');
      expect(runtime, `${name} DATABASE_URL`).toEqual({ user: db.PPKS_RUNTIME_USER, host: 'postgresql', port: 5432, database: db.PPKS_DB });
      expect(e.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      expect(e.NODE_ENV, name).toBe('production');
    }
    expect(parseDatabaseUrl(env(services.api!).DATABASE_OWNER_URL ?? '')).toEqual({
      user: db.PPKS_OWNER_USER,
      host: 'postgresql',
      port: 5432,
      database: db.PPKS_DB,
    });
    // The worker never migrates: it has neither the owner's URL nor its password.
    expect(env(services.worker!)).not.toHaveProperty('DATABASE_OWNER_URL');
    expect(secretsOf(services.worker!)).not.toContain('ppks_owner_db_password');
    // Temporal uses its own user and databases.
    const temporal = env(services.temporal!);
    expect(temporal).toMatchObject({
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_USER: db.TEMPORAL_DB_USER,
      DBNAME: db.TEMPORAL_DB,
      VISIBILITY_DBNAME: db.TEMPORAL_VISIBILITY_DB,
    });
    expect(words(services['temporal-schema']!.command)).toContain(`-u ${db.TEMPORAL_DB_USER} `);
    expect(new Set([db.TEMPORAL_DB_USER, db.PPKS_OWNER_USER, db.PPKS_RUNTIME_USER, db.POSTGRES_USER]).size).toBe(4);
  });

  it('starts api and worker only after PostgreSQL and Temporal are healthy and set up', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]!.depends_on, name).toMatchObject({
        postgresql: { condition: 'service_healthy' },
        temporal: { condition: 'service_healthy' },
        'temporal-setup': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(services, `${name} depends on ${dep}`).toHaveProperty(dep);
    }
  });

  it('has a healthcheck for every long-running service', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.restart === 'no') continue;
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
    expect(words(services.api!.healthcheck!.test)).toContain("'/healthz'");
    expect(words(services.worker!.healthcheck!.test)).toContain('process.env.WORKER_HEALTH_PORT || 9466');
  });

  for (const [name, variable] of [
    ['worker', 'WORKER_SHUTDOWN_GRACE'],
    ['api', 'API_SHUTDOWN_GRACE'],
  ] as const) {
    it(`gives the ${name} longer to stop than its ${variable}, so Docker's kill comes after it`, () => {
      const grace = seconds(env(services[name]!)[variable] ?? '');
      const stop = seconds(services[name]!.stop_grace_period ?? '');
      expect(grace).toBeGreaterThan(0);
      expect(stop - grace).toBeGreaterThanOrEqual(10);
    });
  }

  it('passes every secret a production process requires, as a file of a secret it is given', () => {
    for (const [name, required] of Object.entries(requiredSecrets)) {
      const e = env(services[name]!);
      for (const variable of required) {
        const file = e[`${variable}_FILE`];
        expect(file, `${name} ${variable}_FILE`).toMatch(/^\/run\/secrets\/\w+$/);
        expect(secretsOf(services[name]!), `${name} is given ${file}`).toContain(path.basename(file!));
      }
    }
  });

  it('contains no literal secret: secret settings come from files under ./secrets/, passwords never sit in URLs', () => {
    expect(secretVariables.sort()).toEqual(
      [
        'DATABASE_OWNER_PASSWORD',
        'DATABASE_PASSWORD',
        'OIDC_CLIENT_SECRET',
        'PPKS_AUDIT_SIGNING_KEY',
        'PPKS_HASH_KEYS',
        'PPKS_MATCH_KEY',
        'PPKS_PAYLOAD_KEYS',
      ].sort(),
    );
    const secretLike = /PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY/i;
    for (const [name, service] of Object.entries(services)) {
      const given = secretsOf(service);
      for (const [key, value] of Object.entries(env(service))) {
        expect(secretVariables, `${name}.${key}: set ${key}_FILE instead`).not.toContain(key);
        if (key.endsWith('_FILE')) {
          expect(value, `${name}.${key}`).toMatch(/^\/run\/secrets\/\w+$/);
          expect(given, `${name}.${key} names a secret the service is not given`).toContain(path.basename(value));
        } else {
          expect(secretLike.test(key), `${name}.${key} looks like a secret: give it as a file`).toBe(false);
        }
        expect(value, `${name}.${key} carries a credential in a URL`).not.toMatch(/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i);
      }
      for (const secret of given) expect(compose.secrets, `${name} secret ${secret}`).toHaveProperty(secret);
    }
    for (const [secret, definition] of Object.entries(compose.secrets)) expect(definition, secret).toEqual({ file: `./secrets/${secret}` });
    expect(read('.gitignore')).toMatch(/^secrets\/$/m);
    // deploy/create-secrets.sh makes every one of them.
    const script = read('deploy/create-secrets.sh');
    for (const secret of Object.keys(compose.secrets)) expect(script, secret).toMatch(new RegExp(`^create ${secret} `, 'm'));
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

  it('runs Prometheus and Grafana under the observability profile, with the files of deploy/', () => {
    for (const name of ['prometheus', 'grafana']) expect(services[name]!.profiles, name).toEqual(['observability']);
    expect(services.prometheus!.volumes).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
    expect(services.grafana!.volumes).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(env(services.grafana!).GF_SECURITY_ADMIN_PASSWORD__FILE).toBe('/run/secrets/grafana_admin_password');
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^(?=FROM )/m).slice(1);
  const runtime = stages.at(-1)!;

  it('copies only files that exist', () => {
    for (const m of dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)) {
      const parts = m[1]!
        .trim()
        .split(/\s+/)
        .filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) expect(existsSync(path.join(projectRoot, src)), src).toBe(true);
    }
  });

  it('runs on a supported Node LTS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)-bookworm-slim$/m);
    for (const stage of stages) expect(stage).toMatch(/^FROM \$\{NODE_IMAGE\}/);
  });

  it('compiles in a build stage and runs the compiled API as a non-root user in production mode', () => {
    expect(stages[0]).toMatch(/^RUN npm ci\b/m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", .*\/healthz/m);
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(runtime);
    expect(JSON.parse(cmd![1]!)).toEqual(services.api!.command);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['secrets', '.data', 'node_modules', 'dist', '.env']) expect(ignored, entry).toContain(entry);
  });
});
