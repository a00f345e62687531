// Reference tables for the `demo` seed: real cities with real postal codes and their telephone area codes, and
// common real names per country. Every postal code here is checked against `zipcodes` (US) and every generated
// phone number against libphonenumber-js by test/emulator/demo-seed.test.ts, so the "real" half of the demo org
// stays quiet under the scanner. The synthetic half (GEN_*) copies the shapes faker-style generators produce.

export type Country = 'US' | 'GB' | 'DE' | 'FR';

export interface Place {
  city: string;
  /** State (US two-letter code); empty where addresses carry none. */
  state: string;
  zips: string[];
  /** National area code without trunk prefix (US: 3 digits; GB: "161", "20"; DE: "30"; FR: "1"). */
  area: string;
  /** Two-digit prefixes a local number may start with, as ranges "20-48,50-99" (GB; the Ofcom plan as
   *  libphonenumber knows it, checked by the tests; 49x is left out for the drama range 496). */
  lead?: string;
}

export const COUNTRY_NAME: Record<Country, string> = {
  US: 'United States',
  GB: 'United Kingdom',
  DE: 'Germany',
  FR: 'France',
};

export const PLACES: Record<Country, Place[]> = {
  US: [
    { city: 'San Francisco', state: 'CA', area: '415', zips: ['94102', '94103', '94104', '94105', '94107', '94108', '94109'] },
    { city: 'Oakland', state: 'CA', area: '510', zips: ['94601', '94602', '94606', '94607', '94609'] },
    { city: 'San Jose', state: 'CA', area: '408', zips: ['95110', '95111', '95112'] },
    { city: 'Los Angeles', state: 'CA', area: '213', zips: ['90004', '90005', '90006', '90007'] },
    { city: 'San Diego', state: 'CA', area: '619', zips: ['92101', '92102', '92103', '92104'] },
    { city: 'Sacramento', state: 'CA', area: '916', zips: ['94203', '94204', '94205'] },
    { city: 'Seattle', state: 'WA', area: '206', zips: ['98101', '98102', '98103', '98104', '98105', '98107'] },
    { city: 'Tacoma', state: 'WA', area: '253', zips: ['98402', '98403', '98405'] },
    { city: 'Portland', state: 'OR', area: '503', zips: ['97201', '97202', '97204', '97205'] },
    { city: 'Boise', state: 'ID', area: '208', zips: ['83702', '83703', '83704'] },
    { city: 'Denver', state: 'CO', area: '303', zips: ['80202', '80203', '80204', '80205', '80206'] },
    { city: 'Boulder', state: 'CO', area: '303', zips: ['80301', '80302', '80303', '80304'] },
    { city: 'Salt Lake City', state: 'UT', area: '801', zips: ['84101', '84102', '84103'] },
    { city: 'Phoenix', state: 'AZ', area: '602', zips: ['85003', '85004', '85006'] },
    { city: 'Tucson', state: 'AZ', area: '520', zips: ['85701', '85704', '85705'] },
    { city: 'Austin', state: 'TX', area: '512', zips: ['78701', '78702', '78703', '78704', '78705'] },
    { city: 'Dallas', state: 'TX', area: '214', zips: ['75201', '75202', '75204', '75205'] },
    { city: 'Houston', state: 'TX', area: '713', zips: ['77002', '77003', '77004', '77005', '77006'] },
    { city: 'San Antonio', state: 'TX', area: '210', zips: ['78204', '78205', '78207'] },
    { city: 'Chicago', state: 'IL', area: '312', zips: ['60601', '60602', '60603', '60604', '60605', '60606', '60607'] },
    { city: 'Minneapolis', state: 'MN', area: '612', zips: ['55401', '55402', '55403', '55404'] },
    { city: 'Milwaukee', state: 'WI', area: '414', zips: ['53202', '53203', '53204'] },
    { city: 'Detroit', state: 'MI', area: '313', zips: ['48201', '48202', '48207'] },
    { city: 'Columbus', state: 'OH', area: '614', zips: ['43201', '43202', '43205', '43206'] },
    { city: 'Cleveland', state: 'OH', area: '216', zips: ['44102', '44103', '44106'] },
    { city: 'Indianapolis', state: 'IN', area: '317', zips: ['46202', '46203', '46204'] },
    { city: 'Nashville', state: 'TN', area: '615', zips: ['37203', '37204', '37206'] },
    { city: 'Atlanta', state: 'GA', area: '404', zips: ['30303', '30305', '30306', '30307', '30308'] },
    { city: 'Charlotte', state: 'NC', area: '704', zips: ['28202', '28203', '28204'] },
    { city: 'Raleigh', state: 'NC', area: '919', zips: ['27601', '27603', '27604', '27605'] },
    { city: 'Miami', state: 'FL', area: '305', zips: ['33101', '33122'] },
    { city: 'Orlando', state: 'FL', area: '407', zips: ['32801', '32803', '32804'] },
    { city: 'Tampa', state: 'FL', area: '813', zips: ['33602', '33603', '33606'] },
    { city: 'New York', state: 'NY', area: '212', zips: ['10001', '10002', '10003', '10004', '10005', '10006'] },
    { city: 'Brooklyn', state: 'NY', area: '718', zips: ['11201', '11205', '11206'] },
    { city: 'Boston', state: 'MA', area: '617', zips: ['02108', '02109', '02110', '02111', '02113'] },
    { city: 'Cambridge', state: 'MA', area: '617', zips: ['02138', '02139', '02141'] },
    { city: 'Philadelphia', state: 'PA', area: '215', zips: ['19102', '19103', '19104'] },
    { city: 'Pittsburgh', state: 'PA', area: '412', zips: ['15201', '15203', '15206'] },
    { city: 'Baltimore', state: 'MD', area: '410', zips: ['21201', '21202', '21205'] },
    { city: 'Washington', state: 'DC', area: '202', zips: ['20001', '20002', '20003', '20005'] },
    { city: 'Richmond', state: 'VA', area: '804', zips: ['23219', '23220', '23221'] },
    { city: 'Kansas City', state: 'MO', area: '816', zips: ['64105', '64106', '64108'] },
    { city: 'Omaha', state: 'NE', area: '402', zips: ['68102', '68104', '68105'] },
    { city: 'Albuquerque', state: 'NM', area: '505', zips: ['87102', '87104', '87106'] },
    { city: 'Las Vegas', state: 'NV', area: '702', zips: ['89101', '89102', '89104'] },
    { city: 'Burlington', state: 'VT', area: '802', zips: ['05401'] },
    { city: 'Madison', state: 'WI', area: '608', zips: ['53703', '53704', '53705'] },
  ],
  GB: [
    { city: 'London', state: '', area: '20', lead: '30-48,70-89', zips: ['EC2A 4NE', 'W1T 3JH', 'SE1 9SG', 'N1 9GU', 'E1 6AN', 'EC1V 9HX'] },
    { city: 'Manchester', state: '', area: '161', lead: '20-48,50-99', zips: ['M1 1AE', 'M2 4WU', 'M4 1HN', 'M3 3EB'] },
    { city: 'Birmingham', state: '', area: '121', lead: '20-48,50-83', zips: ['B1 1BB', 'B3 2DT', 'B2 4QA'] },
    { city: 'Leeds', state: '', area: '113', lead: '20-48,50-59,80-89', zips: ['LS1 4DY', 'LS2 7EY', 'LS1 5ES'] },
    { city: 'Bristol', state: '', area: '117', lead: '20-48,90-99', zips: ['BS1 4DJ', 'BS1 5TR', 'BS1 6QF'] },
    { city: 'Edinburgh', state: '', area: '131', lead: '20-48,50-89', zips: ['EH1 1YZ', 'EH2 2ER', 'EH3 9WJ'] },
    { city: 'Glasgow', state: '', area: '141', lead: '20-48,50-99', zips: ['G1 1XQ', 'G2 5UB', 'G1 2FF'] },
    { city: 'Liverpool', state: '', area: '151', lead: '20-48,50-99', zips: ['L1 8JQ', 'L2 2DP', 'L3 9AG'] },
    { city: 'Nottingham', state: '', area: '115', lead: '20-29,60-99', zips: ['NG1 5FS', 'NG1 6FB', 'NG1 7BQ'] },
  ],
  DE: [
    { city: 'Berlin', state: '', area: '30', zips: ['10115', '10117', '10119', '10178', '10435'] },
    { city: 'Munich', state: '', area: '89', zips: ['80331', '80333', '80335', '80469'] },
    { city: 'Hamburg', state: '', area: '40', zips: ['20095', '20097', '20099', '22767'] },
    { city: 'Köln', state: '', area: '221', zips: ['50667', '50668', '50672'] },
    { city: 'Frankfurt am Main', state: '', area: '69', zips: ['60311', '60313', '60316'] },
    { city: 'Stuttgart', state: '', area: '711', zips: ['70173', '70174', '70176'] },
    { city: 'Düsseldorf', state: '', area: '211', zips: ['40210', '40211', '40212'] },
    { city: 'Leipzig', state: '', area: '341', zips: ['04103', '04109'] },
  ],
  FR: [
    { city: 'Paris', state: '', area: '1', zips: ['75002', '75003', '75008', '75009', '75010', '75011', '75015'] },
    { city: 'Lyon', state: '', area: '4', zips: ['69001', '69002', '69003', '69006', '69007'] },
    { city: 'Marseille', state: '', area: '4', zips: ['13001', '13002', '13006', '13008'] },
    { city: 'Toulouse', state: '', area: '5', zips: ['31000', '31300', '31400'] },
    { city: 'Bordeaux', state: '', area: '5', zips: ['33000', '33300', '33800'] },
    { city: 'Nantes', state: '', area: '2', zips: ['44000', '44100', '44200'] },
    { city: 'Lille', state: '', area: '3', zips: ['59000', '59800'] },
    { city: 'Strasbourg', state: '', area: '3', zips: ['67000', '67100'] },
  ],
};

/** Common given names and surnames, most frequent first (the generator samples with a long-tailed skew). */
export const NAMES: Record<Country, { first: string[]; last: string[] }> = {
  US: {
    first: [
      'James', 'Mary', 'Michael', 'Jennifer', 'Robert', 'Linda', 'David', 'Elizabeth', 'John', 'Patricia', 'William',
      'Susan', 'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Christopher', 'Lisa', 'Daniel', 'Nancy',
      'Matthew', 'Sandra', 'Anthony', 'Ashley', 'Mark', 'Emily', 'Steven', 'Michelle', 'Andrew', 'Amanda', 'Paul',
      'Melissa', 'Joshua', 'Stephanie', 'Kevin', 'Rebecca', 'Brian', 'Laura', 'Timothy', 'Rachel', 'Jason', 'Megan',
      'Ryan', 'Kimberly', 'Eric', 'Angela', 'Jacob', 'Heather', 'Nicholas', 'Amy', 'Gary', 'Christina', 'Jonathan',
      'Julie', 'Scott', 'Kelly', 'Brandon', 'Lauren', 'Samuel', 'Priya', 'Wei', 'Carlos', 'Maria', 'Jose', 'Ana',
      'Hiroshi', 'Aisha', 'Omar', 'Mei', 'Rahul', 'Fatima', 'Tyrone', 'Keisha', 'Connor', 'Siobhan', 'Dmitri',
      'Nadia', 'Luis', 'Rosa', 'Tuan', 'Linh', 'Ji-woo', 'Kwame',
    ],
    last: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
      'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
      'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young',
      'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker',
      'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Phillips', 'Evans', 'Turner', 'Parker',
      'Collins', 'Edwards', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed',
      'Bailey', 'Bell', 'Kim', 'Patel', 'Chen', 'Wang', "O'Brien", 'McCarthy', 'Kowalski', 'Nakamura', 'Okafor',
      'Schneider', 'Castillo', 'Sullivan', 'Fitzgerald', 'Reyes', 'Brooks', 'Gray', 'Hughes', 'Price', 'Bennett',
    ],
  },
  GB: {
    first: [
      'Oliver', 'Amelia', 'George', 'Olivia', 'Harry', 'Emily', 'Jack', 'Isla', 'Thomas', 'Sophie', 'James', 'Jessica',
      'William', 'Charlotte', 'Daniel', 'Lucy', 'Samuel', 'Hannah', 'Joseph', 'Chloe', 'David', 'Rebecca', 'Matthew',
      'Laura', 'Alistair', 'Fiona', 'Gareth', 'Siân', 'Callum', 'Eilidh', 'Rhys', 'Niamh', 'Imran', 'Aaliyah',
    ],
    last: [
      'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson',
      'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis',
      'Hughes', 'Edwards', 'Macdonald', 'Campbell', 'Stewart', 'Murray', 'Ahmed', 'Begum', 'Fletcher', 'Holloway',
      'Pritchard', 'Ashworth',
    ],
  },
  DE: {
    first: [
      'Thomas', 'Sabine', 'Michael', 'Andrea', 'Andreas', 'Claudia', 'Stefan', 'Petra', 'Christian', 'Julia',
      'Markus', 'Katrin', 'Jan', 'Anna', 'Tobias', 'Laura', 'Matthias', 'Nicole', 'Florian', 'Lena', 'Jürgen',
      'Birgit', 'Sebastian', 'Sarah', 'Lukas', 'Jana', 'Klaus', 'Susanne', 'Mehmet', 'Ayşe',
    ],
    last: [
      'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
      'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Yilmaz', 'Kaiser',
    ],
  },
  FR: {
    first: [
      'Jean', 'Marie', 'Pierre', 'Nathalie', 'Philippe', 'Isabelle', 'Nicolas', 'Sophie', 'Julien', 'Camille',
      'Thomas', 'Céline', 'Antoine', 'Julie', 'Laurent', 'Claire', 'François', 'Émilie', 'Sébastien', 'Aurélie',
      'Mathieu', 'Hélène', 'Karim', 'Yasmine', 'Olivier', 'Sandrine',
    ],
    last: [
      'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon',
      'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont',
      'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Mercier', 'Benali', 'Chevalier', 'Garnier',
    ],
  },
};

export const STREETS: Record<Country, string[]> = {
  US: [
    'Main St', 'Market St', 'Oak Ave', 'Pine St', 'Maple Ave', 'Cedar St', 'Elm St', 'Washington Ave', 'Lake St',
    'Park Ave', '2nd St', '3rd Ave', '5th St', 'Broadway', 'Grand Ave', 'Mission St', 'Commerce Dr',
    'Industrial Pkwy', 'Center St', 'Lincoln Blvd', 'Highland Ave', 'Water St', 'Spring St', 'River Rd',
  ],
  GB: [
    'High Street', 'Station Road', 'Church Street', 'Victoria Road', 'Mill Lane', 'King Street', 'Queen Street',
    'Market Place', 'Park Road', 'Bridge Street', 'London Road', 'Castle Street',
  ],
  DE: [
    'Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schulstraße', 'Lindenstraße', 'Friedrichstraße',
    'Industriestraße', 'Kirchstraße', 'Marktplatz', 'Bergstraße', 'Goethestraße', 'Am Hafen',
  ],
  FR: [
    'rue de la République', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Gambetta', 'rue du Commerce',
    'rue Nationale', 'place de la Gare', 'rue des Écoles', 'avenue de la Libération', 'rue Pasteur',
  ],
};

/** Company name building blocks: [word, industry] so the Industry picklist matches the name. */
export const BUSINESSES: Record<Country, { prefix: string[]; kinds: [string, string][] }> = {
  US: {
    prefix: [
      'Cascade', 'Summit', 'Bayview', 'Lakeshore', 'Redwood', 'Harbor', 'Granite', 'Prairie', 'Blue Ridge',
      'Riverbend', 'Ironwood', 'Northgate', 'Evergreen', 'Sierra', 'Pioneer', 'Keystone', 'Heritage', 'Copper Creek',
      'Maplewood', 'Westside', 'Tri-County', 'Golden Gate', 'Hudson Valley', 'Front Range', 'Lone Star', 'Bluegrass',
      'Old Town', 'Capitol', 'Midtown', 'Eastside',
    ],
    kinds: [
      ['Dental Group', 'Healthcare'], ['Family Medicine', 'Healthcare'], ['Veterinary Clinic', 'Healthcare'],
      ['Physical Therapy', 'Healthcare'], ['Credit Union', 'Banking'], ['Insurance Agency', 'Insurance'],
      ['Landscaping', 'Agriculture'], ['Roofing', 'Construction'], ['Plumbing & Heating', 'Construction'],
      ['Builders', 'Construction'], ['Electric', 'Energy'], ['Logistics', 'Transportation'], ['Freight', 'Transportation'],
      ['Brewing Company', 'Food & Beverage'], ['Coffee Roasters', 'Food & Beverage'], ['Bakery', 'Food & Beverage'],
      ['Realty', 'Other'], ['Auto Repair', 'Retail'], ['Outfitters', 'Retail'], ['Hardware', 'Retail'],
      ['Engineering', 'Engineering'], ['Accounting', 'Consulting'], ['Printing', 'Manufacturing'],
      ['Machine Works', 'Manufacturing'], ['Marine Supply', 'Retail'], ['Animal Hospital', 'Healthcare'],
      ['Title Company', 'Finance'], ['Property Management', 'Other'], ['Charter School', 'Education'],
      ['Community College', 'Education'],
    ],
  },
  GB: {
    prefix: ['Thames', 'Pennine', 'Cotswold', 'Mersey', 'Wessex', 'Highland', 'Clyde', 'Severn', 'Chiltern', 'Northumbria', 'Solent', 'Peak District'],
    kinds: [
      ['Joinery Ltd', 'Construction'], ['Dental Practice', 'Healthcare'], ['Building Society', 'Banking'],
      ['Logistics Ltd', 'Transportation'], ['Brewery', 'Food & Beverage'], ['Estate Agents', 'Other'],
      ['Engineering Ltd', 'Engineering'], ['Accountants LLP', 'Consulting'], ['Veterinary Surgery', 'Healthcare'],
      ['Print Ltd', 'Manufacturing'], ['Electrical Services', 'Energy'], ['Garden Centre', 'Retail'],
    ],
  },
  DE: {
    prefix: ['Rhein', 'Elbe', 'Spree', 'Isar', 'Main', 'Nord', 'Süd', 'Alpen', 'Hanse', 'Schwarzwald'],
    kinds: [
      ['Logistik GmbH', 'Transportation'], ['Maschinenbau GmbH', 'Manufacturing'], ['Zahnarztpraxis', 'Healthcare'],
      ['Steuerberatung', 'Consulting'], ['Bau GmbH', 'Construction'], ['Elektrotechnik GmbH', 'Energy'],
      ['Brauerei', 'Food & Beverage'], ['Immobilien GmbH', 'Other'], ['Druckerei', 'Manufacturing'],
      ['Autohaus', 'Retail'],
    ],
  },
  FR: {
    prefix: ['Atlantique', 'Provence', 'Alpes', 'Loire', 'Normandie', 'Bretagne', 'Garonne', 'Rhône', 'Île-de-France'],
    kinds: [
      ['Transports SARL', 'Transportation'], ['Cabinet Dentaire', 'Healthcare'], ['Expertise Comptable', 'Consulting'],
      ['Bâtiment SAS', 'Construction'], ['Électricité SARL', 'Energy'], ['Boulangerie', 'Food & Beverage'],
      ['Immobilier', 'Other'], ['Imprimerie', 'Manufacturing'], ['Garage', 'Retail'],
    ],
  },
};

export const TITLES = [
  'Office Manager', 'Owner', 'Operations Manager', 'Purchasing Manager', 'Procurement Specialist', 'Controller',
  'Chief Financial Officer', 'IT Director', 'Facilities Manager', 'General Manager', 'Practice Manager',
  'Accounts Payable Specialist', 'Director of Operations', 'VP of Operations', 'Store Manager', 'Buyer',
  'Project Manager', 'Executive Assistant', 'Managing Director', 'Head of Finance', 'Warehouse Supervisor',
  'Fleet Manager', 'President', 'Principal', 'Bookkeeper',
];

export const FREE_MAIL: Record<Country, string[]> = {
  US: ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com'],
  GB: ['gmail.com', 'outlook.com', 'btinternet.com'],
  DE: ['gmx.de', 'web.de', 't-online.de'],
  FR: ['orange.fr', 'free.fr', 'gmail.com'],
};

export const TLD: Record<Country, string> = { US: 'com', GB: 'co.uk', DE: 'de', FR: 'fr' };

// ---- what a faker-style generator run looks like (the offending partner-sync import) ----

/** Given names sampled uniformly from a generator's list (no frequency tail). */
export const GEN_FIRST = [
  'Jaylen', 'Kaley', 'Ernestine', 'Tyson', 'Dameon', 'Lurline', 'Ottilie', 'Brando', 'Jazmyne', 'Keon', 'Aglae',
  'Ozella', 'Ransom', 'Wilburn', 'Zelda', 'Maverick', 'Christop', 'Hassie', 'Eudora', 'Jovany', 'Kiarra', 'Demarcus',
  'Theron', 'Alivia',
];
export const GEN_LAST = [
  'Spinka', 'Buckridge', 'Kulas', 'Pacocha', 'Schowalter', 'Wintheiser', 'Runolfsdottir', 'Kshlerin', 'Bednar',
  'Hackett', 'Gleichner', 'Considine', 'Kertzmann', 'Heathcote', 'Wuckert', 'Stiedemann', 'Greenholt', 'Mraz',
  'Bergnaum', 'Ondricka', 'Torphy', 'Hermiston', 'Dickinson', 'Balistreri',
];
export const GEN_CITY_PREFIX = ['Port', 'Lake', 'East', 'West', 'North', 'South', 'New'];
export const GEN_CITY_STEM = ['Jayden', 'Ernesto', 'Kaley', 'Telly', 'Marquis', 'Ozella', 'Brando', 'Kiarra', 'Ransom', 'Lurline'];
export const GEN_CITY_SUFFIX = ['shire', 'ville', 'fort', 'borough', 'side', 'haven', 'mouth', 'stad'];
export const GEN_STREET_SUFFIX = ['Stravenue', 'Crossroad', 'Junctions', 'Ville', 'Gateway', 'Extension', 'Spurs', 'Locks'];
export const GEN_TITLE = [
  ['Dynamic', 'Investor', 'Senior', 'Future', 'Legacy', 'Central', 'Global', 'Principal', 'Corporate', 'Internal'],
  ['Branding', 'Metrics', 'Paradigm', 'Quality', 'Intranet', 'Tactics', 'Mobility', 'Integration', 'Markets', 'Assurance'],
  ['Producer', 'Coordinator', 'Facilitator', 'Architect', 'Strategist', 'Orchestrator', 'Liaison', 'Designer', 'Representative', 'Agent'],
];
export const GEN_STATES = ['AK', 'MT', 'WY', 'ND', 'SD', 'RI', 'DE', 'HI', 'NH', 'KS', 'IA', 'AR'];
export const TEST_TOKENS = {
  first: ['Test', 'QA', 'Demo', 'Asdf', 'Foo', 'John'],
  last: ['Test', 'User', 'Tester', 'Qwerty', 'Bar', 'Doe'],
  company: ['Sample Account', 'Test Company', 'ACME TEST', 'Demo Corp', 'xxx'],
  title: ['asdf', 'test', 'n/a', 'xxx'],
};
