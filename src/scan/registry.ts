import type { PopulationRule, RecordRule } from './rule.js';
import { reservedDomain } from './rules/reserved-domain.js';
import { sandboxMarker } from './rules/sandbox-marker.js';
import { fictionPhone } from './rules/fiction-phone.js';
import { placeholderToken } from './rules/placeholder-token.js';
import { placeholderEmail } from './rules/placeholder-email.js';
import { placeholderAddress } from './rules/placeholder-address.js';
import { placeholderPhone } from './rules/placeholder-phone.js';
import { nameShape } from './rules/name-shape.js';
import { knownSampleData } from './rules/known-sample-data.js';
import { generatorPlace } from './rules/generator-place.js';
import { generatorStreet } from './rules/generator-street.js';
import { companyTemplate } from './rules/company-template.js';
import { buzzwordTitle } from './rules/buzzword-title.js';
import { generatorPhoneFormat } from './rules/generator-phone-format.js';
import { freemailNamePattern } from './rules/freemail-name-pattern.js';
import { websiteMismatch } from './rules/website-mismatch.js';
import { emailCompanyMismatch } from './rules/email-company-mismatch.js';
import { emailNameMismatch } from './rules/email-name-mismatch.js';
import { loremText } from './rules/lorem-text.js';
import { streetLanguage } from './rules/street-language.js';
import { sequenceEmail } from './rules/sequence-email.js';
import { scriptCountry } from './rules/script-country.js';
import { regionMismatch } from './rules/region-mismatch.js';
import { foreignStreetStyle } from './rules/foreign-street-style.js';
import { phoneValidity } from './rules/phone-validity.js';
import { emailValidity } from './rules/email-validity.js';
import { dateValidity } from './rules/date-validity.js';
import { postalFormat } from './rules/postal-format.js';
import { placeCountry } from './rules/place-country.js';
import { unknownPlace } from './rules/unknown-place.js';
import { cityRegion } from './rules/city-region.js';
import { creatorCohort, numberedSequence, sharedPhone } from './population.js';
import { firstNameUniformity } from './rules/first-name-uniformity.js';
import { amountBenford } from './rules/amount-benford.js';

/** Every record-level rule, in the order reasons are listed. Explicit: no discovery (style.md). */
export const defaultRules: readonly RecordRule[] = [
  reservedDomain,
  sandboxMarker,
  fictionPhone,
  knownSampleData,
  placeholderToken,
  placeholderEmail,
  placeholderAddress,
  placeholderPhone,
  loremText,
  nameShape,
  generatorPlace,
  unknownPlace,
  generatorStreet,
  companyTemplate,
  buzzwordTitle,
  generatorPhoneFormat,
  freemailNamePattern,
  sequenceEmail,
  websiteMismatch,
  emailCompanyMismatch,
  emailNameMismatch,
  regionMismatch,
  placeCountry,
  cityRegion,
  foreignStreetStyle,
  streetLanguage,
  scriptCountry,
  phoneValidity,
  postalFormat,
  emailValidity,
  dateValidity,
];

/** Every population-level rule. */
export const defaultPopulationRules: readonly PopulationRule[] = [
  numberedSequence,
  sharedPhone,
  creatorCohort,
  firstNameUniformity,
  amountBenford,
];

/** Bumped when rules or their weights change, so baselines and evidence say which rules judged. */
export const RULES_VERSION = '2026.11.27-4';
