/** Administration: organisations, principals, tokens, partner links, products and versions. */
import Holidays from 'date-holidays';
import { IdSchema, IsoInstant, LocalDate, Phone, TimeZone, WeeklyWindowSchema } from './common';
import { ENTITLEMENT_IDS, MARKET_REGIONS, SUN_REGIONS } from '../../policy/types';
import { ASSIGNABLE_ROLES } from '../../contract/roles';
import { z } from '../zod';

export { ENTITLEMENT_IDS, MARKET_REGIONS, SUN_REGIONS } from '../../policy/types';
export { ASSIGNABLE_ROLES } from '../../contract/roles';
export const LIFECYCLES = ['current', 'limited', 'discontinued'] as const;

const holidays = new Holidays();
const countries = holidays.getCountries() ?? {};

const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case, e.g. DE')
  .refine((c) => c in countries, 'no public-holiday data for this country code')
  .openapi({ example: 'DE' });

const Subdivision = z.string().regex(/^[A-Z0-9]{1,3}$/, 'ISO 3166-2 subdivision code without the country, e.g. BY');

export function isKnownSubdivision(country: string, subdivision: string): boolean {
  return subdivision in (holidays.getStates(country) ?? {});
}

const orgFields = {
  name: z.string().trim().min(1).max(200),
  supportId: z
    .string()
    .regex(/^[A-Za-z0-9-]{4,32}$/, '4-32 letters, digits or -')
    .openapi({ example: '01700001' }),
  entitlement: z.enum(ENTITLEMENT_IDS).openapi({ description: 'support program or plan' }),
  marketRegion: z.enum(MARKET_REGIONS).openapi({ description: 'selling region: decides support languages and phone queues' }),
  country: Country,
  subdivision: Subdivision.nullable().optional(),
  timeZone: TimeZone,
  language: z.string().min(2).max(8).openapi({ description: "default case language; one of the market region's languages", example: 'de' }),
  businessHours: z
    .array(WeeklyWindowSchema)
    .min(1)
    .max(21)
    .nullable()
    .optional()
    .openapi({ description: 'customer business hours for contact attempts; default Mon-Fri 08:00-17:00' }),
  closedDates: z.array(LocalDate).max(400).optional().openapi({ description: 'extra local closed days besides public holidays' }),
};

export const CreateOrganisationBody = z.strictObject({ id: IdSchema.optional(), ...orgFields }).openapi('CreateOrganisation');
export const UpdateOrganisationBody = z
  .strictObject({
    name: orgFields.name.optional(),
    supportId: orgFields.supportId.optional(),
    entitlement: orgFields.entitlement.optional(),
    marketRegion: orgFields.marketRegion.optional(),
    country: orgFields.country.optional(),
    subdivision: orgFields.subdivision,
    timeZone: orgFields.timeZone.optional(),
    language: orgFields.language.optional(),
    businessHours: orgFields.businessHours,
    closedDates: orgFields.closedDates,
  })
  .openapi('UpdateOrganisation');

export const OrganisationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    supportId: z.string(),
    entitlement: z.enum(ENTITLEMENT_IDS),
    marketRegion: z.enum(MARKET_REGIONS),
    country: z.string(),
    subdivision: z.string().nullable(),
    timeZone: z.string(),
    language: z.string(),
    businessHours: z.array(WeeklyWindowSchema).nullable(),
    closedDates: z.array(z.string()),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .openapi('Organisation');

export const CreatePrincipalBody = z
  .strictObject({
    id: IdSchema.optional(),
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    role: z.enum(ASSIGNABLE_ROLES),
    orgId: IdSchema.optional().openapi({ description: 'required for case and license administrators' }),
    homeRegion: z.enum(SUN_REGIONS).optional().openapi({ description: 'required for engineers: follow-the-sun region' }),
    managerLevel: z.int().min(1).max(5).optional().openapi({ description: 'required for managers: 1 = duty manager' }),
    timeZone: TimeZone.optional().openapi({ description: 'staff: the IANA zone their mail shows times in (default UTC)' }),
    phone: Phone.optional().openapi({ description: 'customers and partners: the number staff call them on' }),
  })
  .openapi('CreatePrincipal');

export const UpdatePrincipalBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    disabled: z.boolean().optional().openapi({ description: 'true disables the principal and every token it holds' }),
    homeRegion: z.enum(SUN_REGIONS).optional(),
    managerLevel: z.int().min(1).max(5).optional(),
    timeZone: TimeZone.nullable().optional().openapi({ description: 'staff: the IANA zone their mail shows times in; null: UTC' }),
    phone: Phone.nullable().optional().openapi({ description: 'the number staff call them on; null: none' }),
  })
  .openapi('UpdatePrincipal');

export const PrincipalSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ASSIGNABLE_ROLES),
    orgId: z.string().nullable(),
    homeRegion: z.string().nullable(),
    managerLevel: z.number().nullable(),
    timeZone: z.string().nullable(),
    phone: z.string().nullable(),
    disabled: z.boolean(),
    linkedOrgIds: z.array(z.string()).optional(),
    createdAt: IsoInstant,
  })
  .openapi('Principal');

export const IssueTokenBody = z.strictObject({ label: z.string().trim().min(1).max(100).optional() }).openapi('IssueToken');
export const IssuedTokenSchema = z
  .object({
    id: z.string(),
    principalId: z.string(),
    label: z.string().nullable(),
    token: z.string().openapi({ description: 'shown once; only its SHA-256 is stored' }),
    createdAt: IsoInstant,
  })
  .openapi('IssuedToken');

export const PartnerLinkBody = z.strictObject({ orgId: IdSchema }).openapi('PartnerLink');

export const CreateProductBody = z.strictObject({ id: IdSchema, name: z.string().trim().min(1).max(200) }).openapi('CreateProduct');
const VersionString = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/, 'e.g. 12.3');
const BuildString = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/, 'e.g. 12.3.1.1139');
export const CreateVersionBody = z
  .strictObject({ version: VersionString, lifecycle: z.enum(LIFECYCLES), latestBuild: BuildString })
  .openapi('CreateProductVersion');
export const UpdateVersionBody = z
  .strictObject({ lifecycle: z.enum(LIFECYCLES).optional(), latestBuild: BuildString.optional() })
  .openapi('UpdateProductVersion');
export const ProductSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    versions: z.array(z.object({ version: z.string(), lifecycle: z.enum(LIFECYCLES), latestBuild: z.string() })),
  })
  .openapi('Product');

export { BuildString, VersionString };
