import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

const NAME = "\\p{Lu}[\\p{L}'’]+(?:-\\p{Lu}[\\p{L}'’]+)?";
const DASH = new RegExp(`^${NAME} - ${NAME}$`, 'u');
const TRIPLE = new RegExp(`^${NAME}, ${NAME} (?:and|und|et|y|e|en) ${NAME}$`, 'u');
const SONS = new RegExp(
  `^${NAME} (?:and Sons|und Söhne|et Fils|e Hijos|y Hijos|e Figli|e Filhos|och Söner|en Zonen)$`,
  'u',
);
const HOUSEHOLD = /^(?:[\p{Lu}][\p{L}'’-]+, ){3,}[\p{Lu}][\p{L}'’-]+ and [\p{Lu}][\p{L}'’-]+ (?:Household|Family)$/u;

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
      let why: string | null = null;
      let weight = 0.35;
      if (DASH.test(name)) {
        why = 'the "Surname - Surname" template';
      } else if (TRIPLE.test(name)) {
        why = 'the "Surname, Surname and Surname" template';
        weight = 0.4;
      } else if (SONS.test(name)) {
        why = 'the "Surname and Sons" template';
        weight = 0.2;
      } else if (HOUSEHOLD.test(name)) {
        why = 'a household of five or more surnames, as generated sample households are';
        weight = 0.45;
      }
      if (why)
        hits.push({
          field: v.field,
          evidence: quote(name),
          message: `${v.field} "${quote(name)}" follows ${why}`,
          weight,
        });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Account', { Name: "Schumm - O'Conner" }),
      ex('Account', { Name: 'Bartell, Douglas and Pollich' }),
      ex('Contact', {
        LastName: 'Bailey',
        AccountName: 'Taylor, Alvarez, Stone, Smith, Russell and Harrison Household',
      }),
    ],
    quiet: [
      ex('Account', { Name: 'Hewlett-Packard' }),
      ex('Account', { Name: 'Smith Household' }),
      ex('Account', { Name: 'Skadden, Arps, Slate, Meagher & Flom' }),
    ],
  },
};
