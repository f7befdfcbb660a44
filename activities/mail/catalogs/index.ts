/** The customer message catalogs: one per language the policy offers, English the reference and fallback. */
import { de } from './de';
import { en, type Catalog, type MessageKey } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { ja } from './ja';
import { pt } from './pt';
import { ru } from './ru';
import { zh } from './zh';

export const CATALOGS: Record<string, Catalog> = { en, de, fr, es, it, ru, pt, ja, zh };
export const LANGUAGES = Object.keys(CATALOGS);
export type { Catalog, MessageKey };
