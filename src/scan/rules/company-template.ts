import { ex, type Hit, type RecordRule } from '../rule.js';
import { fold, quote } from '../text.js';

/** A surname, with the lower-case particle some languages write before it (`van Wassenaar`, `da Cunha`). */
const NAME =
  "(?:(?:van|von|de|der|den|da|di|del|della|dos|das|do|du|le|la|ter|ten)(?: der| den| de| la)? )?\\p{Lu}[\\p{L}'’]+(?:-\\p{Lu}[\\p{L}'’]+)?";
const DASH = new RegExp(`^${NAME} - ${NAME}$`, 'u');
/** "and" in the languages generators are localised to (faker's `X, Y and Z` template is translated, not changed). */
const AND = '(?:and|und|et|y|e|en|og|och|i|és|a|ve|и|oraz|ja|și|si)';
const TRIPLE = new RegExp(`^${NAME}, ${NAME} ${AND} ${NAME}$`, 'u');
/** The same templates with a legal form or trade word after them (`Pagano, Ferrari e Conte s.r.l.`, `X, Y A/S`). */
const SUFFIX = "(?: (?:[\\p{L}][\\p{L}.&/'’]*\\.?)){1,3}";

const PAIR_SUFFIXED = new RegExp(`^${NAME}, ${NAME}${SUFFIX}$`, 'u');
/** `Surname and Surname`, each side one or two names (double surnames: `Velázquez Gallegos y Quesada Barraza`). */
const SIDE = `${NAME}(?: ${NAME})??`;
const PAIR_AND = new RegExp(`^(${SIDE}) ${AND} (${SIDE})(?:${SUFFIX})?$`, 'u');
const DOUBLE_AND = new RegExp(`^(${NAME} ${NAME}) ${AND} (${NAME} ${NAME})(?:${SUFFIX})?$`, 'u');
/** The triple template with double surnames or a legal form (`Barajas Gálvez, Arevalo Palacios y Esquivel Aguirre`). */
const TRIPLE_SUFFIXED = new RegExp(`^${SIDE}, ${SIDE} ${AND} ${SIDE}(?:${SUFFIX})?$`, 'u');
/** Words of institutions and trades: `Science and Technology University` is not two surnames. */
const TRADE_WORDS = new Set(
  (
    'university college school institute community science sciences technology technologies technical management ' +
    'health healthcare services service medical research education development engineering national international ' +
    'society association bank arts art design energy systems solutions trade industry industries foundation church ' +
    'museum hospital clinic marketing sales finance insurance consulting media communications communication food ' +
    'sports law legal city county state royal general public city marks ' +
    'universidad instituto escuela ciencia ciencias tecnologia salud servicios comercio industria desarrollo ' +
    'educacion investigacion universite ecole sante recherche universitat hochschule technik forschung ' +
    'universita scuola ricerca asociados associates partners hijos hermanos fils sons cia compania company'
  ).split(' '),
);
const surnames = (side: string): boolean =>
  fold(side)
    .split(' ')
    .every((w) => w && !TRADE_WORDS.has(w));
/** Institutions are named after their founders too (`Lewis and Clark Community College`): never a template. */
const INSTITUTION =
  /\b(?:university|college|school|institute|community|hospital|church|museum|foundation|academy|association|society|universidad|instituto|escuela|universite|ecole|universitat|hochschule|universita|scuola)\b/;
const SONS = new RegExp(
  `^${NAME} (?:and Sons|und Söhne|et Fils|e Hijos|y Hijos|e Figli|e figli|e Filhos|och Söner|en Zonen|i syn|a syn|ve Oğulları)$`,
  'u',
);
const HOUSEHOLD = /^(?:[\p{Lu}][\p{L}'’-]+, ){3,}[\p{Lu}][\p{L}'’-]+ and [\p{Lu}][\p{L}'’-]+ (?:Household|Family)$/u;

/** The template a company name follows and its weight, or null (cached per name: names repeat across records). */
const verdicts = new Map<string, [string, number] | null>();
function templateOf(name: string): [string, number] | null {
  let r = verdicts.get(name);
  if (r !== undefined) return r;
  let why: string | null = null;
  let weight = 0.35;
  let m: RegExpExecArray | null;
  if (DASH.test(name)) {
    why = 'the "Surname - Surname" template';
  } else if (TRIPLE.test(name)) {
    why = 'the "Surname, Surname and Surname" template';
    weight = 0.4;
  } else if (TRIPLE_SUFFIXED.test(name)) {
    why = 'the "Surname, Surname and Surname" template (double surnames or a legal form)';
    weight = 0.3;
  } else if (PAIR_SUFFIXED.test(name) && !/ (?:&|and) /u.test(name)) {
    why = 'the "Surname, Surname <legal form>" template';
    weight = 0.2;
  } else if (
    (m = DOUBLE_AND.exec(name) ?? PAIR_AND.exec(name)) &&
    surnames(m[1]!) &&
    surnames(m[2]!) &&
    !SONS.test(name) &&
    !INSTITUTION.test(fold(name))
  ) {
    const double = m[1]!.includes(' ') && m[2]!.includes(' ');
    why = double ? 'the "Surname Surname and Surname Surname" template' : 'the "Surname and Surname" template';
    weight = double ? 0.25 : 0.15;
  } else if (SONS.test(name)) {
    why = 'the "Surname and Sons" template';
    weight = 0.2;
  } else if (HOUSEHOLD.test(name)) {
    why = 'a household of five or more surnames, as generated sample households are';
    weight = 0.45;
  }
  r = why ? [why, weight] : null;
  if (verdicts.size >= 8192) verdicts.clear();
  verdicts.set(name, r);
  return r;
}

/** Company names from generator templates: `X - Y`, `X, Y and Z`, `X and Sons`, nine-name households. */
export const companyTemplate: RecordRule = {
  id: 'company-template',
  family: 'generator-fingerprints',
  why: 'Generators build company names from surname templates; real firms seldom write "Smith - Jones".',
  maxWeight: 0.45,
  check(view) {
    const hits: Hit[] = [];
    for (const v of view.all('company')) {
      const name = v.value.trim();
      const t = templateOf(name);
      if (t)
        hits.push({
          field: v.field,
          evidence: quote(name),
          message: `${v.field} "${quote(name)}" follows ${t[0]}`,
          weight: t[1],
        });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Account', { Name: "Schumm - O'Conner" }),
      ex('Account', { Name: 'Bartell, Douglas and Pollich' }),
      ex('Account', { Name: 'Pagano, Ferrari e Conte s.r.l.' }),
      ex('Account', { Name: 'Velázquez Gallegos y Quesada Barraza' }),
      ex('Account', { Name: 'van Wassenaar, Garret and Aarden' }),
      ex('Account', { Name: 'Barajas Gálvez, Arevalo Palacios y Esquivel Aguirre Asociados' }),
      ex('Contact', {
        LastName: 'Bailey',
        AccountName: 'Taylor, Alvarez, Stone, Smith, Russell and Harrison Household',
      }),
    ],
    quiet: [
      ex('Account', { Name: 'Hewlett-Packard' }),
      ex('Account', { Name: 'Smith Household' }),
      ex('Account', { Name: 'Skadden, Arps, Slate, Meagher & Flom' }),
      ex('Account', { Name: 'Lewis and Clark Community College' }),
      ex('Account', { Name: 'Ferrer y Asociados' }),
    ],
  },
};
