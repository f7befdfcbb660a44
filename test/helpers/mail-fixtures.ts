/**
 * Raw mail fixtures (test/fixtures/mail/*.eml): real-world shapes of auto-replies, list mail, delivery
 * status notifications and replies, with {{PLACEHOLDERS}} for what each test knows only at run time (the
 * case's reply address, the Message-ID of the delivery a report is about). Lines go out with CRLF, as on the wire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', 'fixtures', 'mail');

export type FixtureValues = Record<string, string>;

export function mailFixture(name: string, values: FixtureValues = {}): Buffer {
  const text = readFileSync(join(DIR, `${name}.eml`), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`mail fixture ${name}: no value for ${whole}`);
    return value;
  });
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}

/** Every fixture's name (without .eml). */
export const mailFixtureNames = (): string[] =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => f.slice(0, -4))
    .sort();

/** The placeholders a fixture uses. */
export function fixturePlaceholders(name: string): string[] {
  const text = readFileSync(join(DIR, `${name}.eml`), 'utf8');
  return [...new Set([...text.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]!))];
}
