/**
 * Issue 19, part C: no shipped secret. A production start (NODE_ENV=production) refuses a known
 * development default and a signing key shorter than 32 bytes, naming the variable (runtime/config.ts, the
 * one place configuration is parsed); docker-compose.yml sets no secret of its own: every variable it
 * interpolates is required (`${VAR:?message}`), none has a default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_REPLY_SECRET } from '../../activities/mail/reply-config';
import { loadConfig, productionSecretProblems } from '../../runtime/config';

const GOOD = 'f3b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9'; // 48 bytes
const production = (env: NodeJS.ProcessEnv) => () => loadConfig({ NODE_ENV: 'production', ...env });

test.each([
  ['MAIL_REPLY_SECRET', 'change-me-in-production', /MAIL_REPLY_SECRET is a known development default/],
  ['MAIL_REPLY_SECRET', DEV_REPLY_SECRET, /MAIL_REPLY_SECRET is a known development default/],
  ['MAIL_REPLY_SECRET', 'short-but-random-9f2c', /MAIL_REPLY_SECRET is 21 bytes: production needs at least 32/],
  ['NOTIFY_WEBHOOK_SECRET', 'changeme', /NOTIFY_WEBHOOK_SECRET is a known development default/],
  ['NOTIFY_WEBHOOK_SECRET', 'x'.repeat(31), /NOTIFY_WEBHOOK_SECRET is 31 bytes/],
])('production refuses %s=%s', (name, value, message) => {
  const env = { MAIL_REPLY_SECRET: GOOD, [name]: value };
  expect(production(env)).toThrow(message);
  expect(production(env)).toThrow(/^refusing to start with NODE_ENV=production/);
});

test('a known database password is refused; the problems are all named at once', () => {
  const problems = productionSecretProblems({
    MAIL_REPLY_SECRET: 'change-me-in-production',
    NOTIFY_WEBHOOK_SECRET: 'abc',
    DATABASE_URL: 'postgres://caseflow:caseflow@postgres:5432/caseflow',
  });
  expect(problems).toEqual([
    expect.stringMatching(/^MAIL_REPLY_SECRET/),
    expect.stringMatching(/^NOTIFY_WEBHOOK_SECRET is 3 bytes/),
    expect.stringMatching(/^DATABASE_URL carries a known development password/),
  ]);
  // Mail without a reply key is refused as before.
  expect(production({ SMTP_URL: 'smtp://mail:25' })).toThrow(/SMTP_URL is set but MAIL_REPLY_SECRET is missing/);
});

test('real secrets start; outside production the defaults are fine', () => {
  const env = { MAIL_REPLY_SECRET: GOOD, NOTIFY_WEBHOOK_SECRET: GOOD, DATABASE_URL: `postgres://caseflow:${GOOD}@db/caseflow` };
  expect(production(env)()).toMatchObject({ production: true });
  expect(production({ DATABASE_URL: 'postgres://caseflow@db/caseflow' })()).toMatchObject({ production: true });
  expect(loadConfig({ MAIL_REPLY_SECRET: 'change-me-in-production' })).toMatchObject({ production: false });
});

test('docker-compose.yml ships no secret: every interpolation is required, none has a default', () => {
  const compose = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
  const uses = [...compose.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}/g)].map((m) => ({ name: m[1], rest: m[2] }));
  expect(uses.filter((u) => !u.rest.startsWith(':?') || u.rest.length < 3)).toEqual([]);
  expect(new Set(uses.map((u) => u.name))).toEqual(new Set(['MAIL_REPLY_SECRET', 'POSTGRES_PASSWORD']));
  expect(compose).not.toMatch(/change-me|PASSWORD: caseflow|PWD: caseflow|caseflow:caseflow@/);
});
