import { ex } from '../../src/scan/rule.js';
import { dateValidity } from '../../src/scan/rules/date-validity.js';
import { referenceAt } from '../../src/scan/reference.js';
import { buildView, layoutFor } from '../../src/scan/view.js';
import { scanExamples, THRESHOLDS } from './helpers.js';

// Real people live in every country: coherent addresses written the local way must not be flagged for being foreign
// (towns in their native spelling, local postal code formats, national phone formats).
const contact = (values: Record<string, string>) => ex('Contact', { Id: '', ...values });
const cases: [string, ReturnType<typeof ex>][] = [
  [
    'Madrid',
    contact({
      FirstName: 'Carmen',
      LastName: 'García López',
      MailingStreet: 'Calle de Alcalá 45',
      MailingCity: 'Madrid',
      MailingPostalCode: '28014',
      MailingCountry: 'Spain',
    }),
  ],
  [
    'Sevilla',
    contact({
      FirstName: 'José',
      LastName: 'Núñez',
      MailingCity: 'Sevilla',
      MailingPostalCode: '41004',
      MailingCountry: 'España',
    }),
  ],
  [
    'Bologna',
    contact({
      FirstName: 'Giulia',
      LastName: 'Bianchi',
      MailingStreet: 'Via dell’Indipendenza 8',
      MailingCity: 'Bologna',
      MailingState: 'Emilia-Romagna',
      MailingPostalCode: '40121',
      MailingCountry: 'Italy',
    }),
  ],
  [
    'Stockholm',
    contact({
      FirstName: 'Åsa',
      LastName: 'Lindqvist',
      MailingCity: 'Stockholm',
      MailingPostalCode: '114 55',
      MailingCountry: 'Sweden',
    }),
  ],
  [
    'Kraków',
    contact({
      FirstName: 'Katarzyna',
      LastName: 'Wiśniewska',
      MailingCity: 'Kraków',
      MailingPostalCode: '31-042',
      MailingCountry: 'Poland',
    }),
  ],
  [
    'Porto Alegre',
    contact({
      FirstName: 'João',
      LastName: 'Souza',
      MailingCity: 'Porto Alegre',
      MailingState: 'RS',
      MailingPostalCode: '90010-150',
      MailingCountry: 'Brazil',
    }),
  ],
  [
    'München (native name missing from the gazetteer)',
    contact({
      FirstName: 'Lukas',
      LastName: 'Huber',
      MailingCity: 'München',
      MailingPostalCode: '80331',
      MailingCountry: 'Germany',
    }),
  ],
  [
    'Zürich',
    contact({
      FirstName: 'Reto',
      LastName: 'Meier',
      MailingCity: 'Zürich',
      MailingPostalCode: '8001',
      MailingCountry: 'Switzerland',
    }),
  ],
  [
    'Paris with a CEDEX code',
    contact({
      FirstName: 'Anne',
      LastName: 'Martin',
      MailingCity: 'Paris 07 SP',
      MailingPostalCode: '75355 Paris 07 SP',
      MailingCountry: 'France',
    }),
  ],
  // Complete records written the local way: native region names, native street types, e-mails made of the
  // person's own name (transliterated where the name is in another script), firms named after their partners.
  [
    'Vienna, complete',
    contact({
      FirstName: 'Anna',
      LastName: 'Gruber',
      Email: 'anna.gruber@wien.gv.at',
      Phone: '+43 1 4000 0',
      MailingStreet: 'Mariahilfer Straße 45',
      MailingCity: 'Wien',
      MailingState: 'Wien',
      MailingPostalCode: '1060',
      MailingCountry: 'Österreich',
    }),
  ],
  [
    'Stockholm, complete',
    contact({
      FirstName: 'Åsa',
      LastName: 'Lindqvist',
      Email: 'asa.lindqvist@telia.com',
      MailingStreet: 'Drottninggatan 71',
      MailingCity: 'Stockholm',
      MailingState: 'Stockholms län',
      MailingPostalCode: '111 36',
      MailingCountry: 'Sverige',
    }),
  ],
  [
    'Kraków, complete',
    contact({
      FirstName: 'Katarzyna',
      LastName: 'Wiśniewska',
      Email: 'k.wisniewska@wp.pl',
      MailingStreet: 'ul. Floriańska 15',
      MailingCity: 'Kraków',
      MailingState: 'małopolskie',
      MailingPostalCode: '31-019',
      MailingCountry: 'Polska',
    }),
  ],
  [
    'Amsterdam, complete',
    contact({
      FirstName: 'Jan',
      LastName: 'de Vries',
      Email: 'j.devries@xs4all.nl',
      MailingStreet: 'Keizersgracht 123',
      MailingCity: 'Amsterdam',
      MailingState: 'Noord-Holland',
      MailingPostalCode: '1015 CJ',
      MailingCountry: 'Nederland',
    }),
  ],
  [
    'Moscow in Cyrillic',
    contact({
      FirstName: 'Анна',
      LastName: 'Иванова',
      Email: 'anna.ivanova@mail.ru',
      MailingCity: 'Москва',
      MailingCountry: 'Россия',
    }),
  ],
  [
    'Osaka in Japanese',
    contact({
      FirstName: '悠',
      LastName: '小倉',
      Email: 'ogura.yu@ntt-west.co.jp',
      MailingCity: '大阪市',
      MailingState: '大阪府',
      MailingCountry: '日本',
    }),
  ],
  [
    'Beirut, French street name',
    contact({
      FirstName: 'Rania',
      LastName: 'Khoury',
      MailingStreet: 'Rue Hamra 12',
      MailingCity: 'Beirut',
      MailingCountry: 'Lebanon',
    }),
  ],
  [
    'Madrid law firm named after its partners',
    ex('Account', {
      Id: '',
      Name: 'Uría Menéndez y Asociados',
      Website: 'https://www.uria.com',
      BillingStreet: 'Calle del Príncipe de Vergara 187',
      BillingCity: 'Madrid',
      BillingState: 'Comunidad de Madrid',
      BillingPostalCode: '28002',
      BillingCountry: 'España',
    }),
  ],
  ...(
    [
      ['Graz', 'Herrengasse 16', 'Graz', 'Steiermark', '8010', 'Austria'],
      ['Innsbruck', 'Maria-Theresien-Straße 18', 'Innsbruck', 'Tirol', '6020', 'Austria'],
      ['Geneva', 'Rue du Rhône 48', 'Genève', 'Genève', '1204', 'Switzerland'],
      ['Lugano', 'Via Nassa 5', 'Lugano', 'Ticino', '6900', 'Switzerland'],
      ['Porto', 'Rua de Santa Catarina 112', 'Porto', 'Porto', '4000-442', 'Portugal'],
      ['Lisbon', 'Avenida da Liberdade 110', 'Lisboa', 'Lisboa', '1269-046', 'Portugal'],
      ['Brno', 'Masarykova 31', 'Brno', 'Jihomoravský kraj', '602 00', 'Czech Republic'],
      ['Barcelona', 'Carrer de Mallorca 401', 'Barcelona', 'Cataluña', '08013', 'Spain'],
      ['Napoli', 'Via Toledo 156', 'Napoli', 'Campania', '80134', 'Italy'],
      ['Warsaw', 'ul. Marszałkowska 84', 'Warszawa', 'mazowieckie', '00-514', 'Poland'],
      ['Gdańsk', 'ul. Długa 46', 'Gdańsk', 'pomorskie', '80-831', 'Poland'],
      ['Opoczno', 'ul. Piotrkowska 5', 'Opoczno', 'łódzkie', '26-300', 'Poland'],
      ['Copenhagen', 'Vesterbrogade 3', 'København', 'Region Hovedstaden', '1620', 'Denmark'],
      ['Aarhus', 'Søndergade 20', 'Aarhus', 'Region Midtjylland', '8000', 'Denmark'],
      ['Odense', 'Vestergade 45', 'Odense', 'Region Syddanmark', '5000', 'Denmark'],
      ['Antalya', 'Atatürk Caddesi 12', 'Antalya', 'Antalya', '07100', 'Turkey'],
      ['Ghent', 'Korenmarkt 16', 'Gent', 'Oost-Vlaanderen', '9000', 'Belgium'],
      ['Ávila', 'Plaza del Mercado Chico 1', 'Ávila', 'Ávila', '05001', 'Spain'],
      ['Gothenburg', 'Kungsportsavenyen 10', 'Göteborg', 'Västra Götalands län', '411 36', 'Sweden'],
      ['Umeå', 'Rådhusesplanaden 6', 'Umeå', 'Västerbottens län', '903 28', 'Sweden'],
      ['Malmö', 'Södergatan 12', 'Malmö', 'Skåne län', '211 34', 'Sweden'],
      ['Groningen', 'Grote Markt 1', 'Groningen', 'Groningen', '9712 HN', 'Netherlands'],
      ['Maastricht', 'Markt 78', 'Maastricht', 'Limburg', '6211 CL', 'Netherlands'],
      ['Zwolle', 'Grote Kerkplein 14', 'Zwolle', 'Overijssel', '8011PK', 'Netherlands'],
      ['Almere', 'Stadhuisplein 1', 'Almere', 'Flevoland', '1315 HR', 'Netherlands'],
      ['Liège', 'Place Saint-Lambert 18', 'Liège', 'Wallonie', '4000', 'Belgium'],
      ['Brussels', 'Rue de la Loi 16', 'Bruxelles', 'Bruxelles-Capitale', '1000', 'Belgium'],
      ['Leuven', 'Naamsestraat 22', 'Leuven', 'Vlaams-Brabant', '3000', 'Belgium'],
    ] as const
  ).map(
    ([name, street, city, state, postal, country]) =>
      [
        `${name}, postal code and region`,
        contact({
          FirstName: 'Maria',
          LastName: 'Santos',
          MailingStreet: street,
          MailingCity: city,
          MailingState: state,
          MailingPostalCode: postal,
          MailingCountry: country,
        }),
      ] as [string, ReturnType<typeof ex>],
  ),
  [
    'Budapest, Hungarian street type',
    contact({
      FirstName: 'Zsófia',
      LastName: 'Nagy',
      Email: 'nagy.zsofia@freemail.hu',
      MailingStreet: 'Andrássy út 12',
      MailingCity: 'Budapest',
      MailingPostalCode: '1061',
      MailingCountry: 'Hungary',
    }),
  ],
  [
    'Istanbul, Turkish street type',
    contact({
      FirstName: 'Elif',
      LastName: 'Yılmaz',
      Email: 'elif.yilmaz@gmail.com',
      MailingStreet: 'Atatürk Bulvarı 45',
      MailingCity: 'İstanbul',
      MailingState: 'İstanbul',
      MailingPostalCode: '34083',
      MailingCountry: 'Türkiye',
    }),
  ],
  [
    'Athens in Greek',
    contact({ FirstName: 'Νίκος', LastName: 'Παπαδόπουλος', MailingCity: 'Αθήνα', MailingCountry: 'Ελλάδα' }),
  ],
  [
    'Tel Aviv in Hebrew',
    contact({ FirstName: 'Noa', LastName: 'Levi', MailingCity: 'תל אביב', MailingCountry: 'Israel' }),
  ],
  [
    'Helsinki, Finnish street and code',
    contact({
      FirstName: 'Aino',
      LastName: 'Virtanen',
      Email: 'aino.virtanen@hel.fi',
      MailingStreet: 'Mannerheimintie 1',
      MailingCity: 'Helsinki',
      MailingPostalCode: '00100',
      MailingCountry: 'Finland',
    }),
  ],
  [
    'a nickname at a company domain',
    contact({
      FirstName: 'Robert',
      LastName: 'Smith',
      Email: 'bob@brightwaterlogistics.com',
      AccountName: 'Brightwater Logistics',
      Title: 'Director',
    }),
  ],
  [
    'a manager at a brand domain',
    contact({
      FirstName: 'Sundar',
      LastName: 'Pichai',
      Email: 'sundar@google.com',
      AccountName: 'Alphabet Inc.',
      MailingCity: 'Mountain View',
      MailingState: 'CA',
      MailingCountry: 'United States',
    }),
  ],
];

describe('real foreign addresses', () => {
  it.each(cases)('%s is not flagged', async (_name, record) => {
    const r = await scanExamples([record]);
    expect(r.findings).toEqual([]);
  });
});

describe('birth dates against the reference clock', () => {
  const view = (birthdate: string) =>
    buildView(
      { LastName: 'Ng', Birthdate: birthdate },
      layoutFor(['LastName', 'Birthdate'], 'Contact'),
      referenceAt('2026-11-27'),
    );
  it('flags a birth date after today', () => {
    const ref = referenceAt('2026-11-27');
    const hits = dateValidity.check(view('2027-01-05'), ref);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.message).toContain('in the future');
    expect(hits[0]!.weight).toBeLessThan(THRESHOLDS.low);
  });
  it('accepts the same date once it has passed', () => {
    const ref = referenceAt('2027-02-01');
    expect(dateValidity.check(view('2027-01-05'), ref)).toEqual([]);
  });
  it('refuses a malformed clock', () => {
    expect(() => referenceAt('27/11/2026')).toThrow(/YYYY-MM-DD/);
  });
});
